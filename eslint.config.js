// ESLint for the page's scripts (rnnviz/ui/web/*.js): Streamlit's components v2 load each as an ES module in the
// browser, so the recommended rules with the browser's globals (make lint runs it).
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["rnnviz/ui/web/*.js"],
    languageOptions: {ecmaVersion: 2022, sourceType: "module", globals: globals.browser},
  },
  {ignores: ["node_modules/", ".venv/"]},
];
