// A link Streamlit drops whole (more fields or characters than it takes): say so to the server, once per page load.
// The navigation's own URL is read, not the address bar's, which the app rewrites after its first run.
export default function(component) {
  if (window.__rnnvizLongLink) return;
  window.__rnnvizLongLink = true;
  const nav = performance.getEntriesByType("navigation")[0];
  const query = new URL(nav ? nav.name : window.location.href).search.replace(/^\?/, "");
  const fields = query ? query.split("&").length : 0;
  const most = component.data;
  if (query.length > most.chars || fields > most.fields)
    component.setTriggerValue("dropped", {chars: query.length, fields: fields});
}
