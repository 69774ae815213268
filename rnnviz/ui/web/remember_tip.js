// The first-visit tip, once dismissed, stays away in this browser: a cookie named by the server (rnnviz/ui/main.py's
// TIP_COOKIE, in the component's data), read by the next visit's first run.
export default function(component) {
  const name = component.data && component.data.cookie;
  if (name) document.cookie = `${name}=dismissed; max-age=31536000; path=/; SameSite=Lax`;
}
