// The single-page app: hash routes to the New job, Job, History, Library and API key views.

import { historyView } from "./history.js";
import { jobView } from "./job-view.js";
import { keyView } from "./key-view.js";
import { libraryView } from "./library.js";
import { newJobView } from "./new-job.js";

const ROUTES = [
  { name: "job", pattern: /^#\/jobs\/([\w-]+)$/, view: jobView },
  { name: "history", pattern: /^#\/history(?:\?(.*))?$/, view: historyView },
  { name: "library", pattern: /^#\/library(?:\?(.*))?$/, view: libraryView },
  { name: "key", pattern: /^#\/key$/, view: keyView },
  { name: "new", pattern: /^(?:#\/new)?$/, view: newJobView },
];

let dispose = () => {};
let flash = null;

/** Go to a hash route; flash is a message the next view shows once. */
function navigate(hash, message = null) {
  flash = message;
  if (location.hash === hash) render();
  else location.hash = hash;
}

function render() {
  const main = document.getElementById("main");
  const hash = location.hash === "#" ? "" : location.hash;
  const route = ROUTES.find((r) => r.pattern.test(hash)) || ROUTES[ROUTES.length - 1];
  const match = hash.match(route.pattern) || [];
  dispose();
  for (const link of document.querySelectorAll("nav a[data-route]")) {
    if (link.dataset.route === route.name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  dispose = route.view(main, {
    navigate,
    params: match.slice(1),
    query: match[1] || "",
    flash,
  });
  flash = null;
  document.title = `${main.querySelector("h1")?.textContent || "catalogsvc"} · catalogsvc`;
  // Move focus to the new view's heading so keyboard and screen-reader users start there.
  main.querySelector("h1")?.focus();
}

window.addEventListener("hashchange", render);
render();
