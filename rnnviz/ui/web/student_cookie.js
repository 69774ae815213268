// A student's anonymous token (rnnviz/ui/questions.py), kept for a day in this browser so that a reload finds the
// student's own answers again: a random id made by the server (in the component's data), never a name.
export default function(component) {
  const data = component.data || {};
  if (data.cookie && data.token) document.cookie = `${data.cookie}=${data.token}; max-age=86400; path=/; SameSite=Lax`;
}
