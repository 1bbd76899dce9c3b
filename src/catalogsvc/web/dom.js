// Building the page from data: every string becomes a text node, never markup.

/** Create an element: props are attributes (on* props are listeners), children are nodes or text. */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
    else if (key === "class") element.className = value;
    else element.setAttribute(key, value === true ? "" : String(value));
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

/** A table cell labelled for the stacked layout of narrow screens. */
export const cell = (label, ...content) => h("td", { "data-label": label }, ...content);

/** The first characters of a job id, enough to tell jobs apart on screen. */
export const shortId = (id) => id.slice(0, 8);

let lastId = 0;
/** A fresh id for pairing a label with its control. */
export const uid = (prefix) => `${prefix}-${++lastId}`;

export const STATUSES = ["queued", "running", "completed", "failed", "cancelled", "interrupted"];
export const isTerminal = (status) => !["queued", "running"].includes(status);
/** Cancelled, failed and interrupted jobs keep partial results and can be resumed. */
export const isPartial = (status) => ["cancelled", "failed", "interrupted"].includes(status);

export function statusBadge(status) {
  return h("span", { class: `badge badge-${status}` }, status);
}

/** A status line for messages and errors; role=alert for errors so they are announced. */
export function messageBox() {
  const box = h("p", { class: "message", hidden: true });
  return {
    element: box,
    show(text, kind = "error") {
      box.textContent = text;
      box.className = `message message-${kind}`;
      box.setAttribute("role", kind === "error" ? "alert" : "status");
      box.hidden = false;
    },
    clear() {
      box.hidden = true;
      box.textContent = "";
    },
  };
}

export function formatDate(iso) {
  return iso ? new Date(parseTime(iso)).toLocaleString() : "—";
}

export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h) return `${h} h ${m} min`;
  return m ? `${m} min ${s} s` : `${s} s`;
}

export function formatBytes(bytes) {
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export const plural = (count, word) => `${count} ${word}${count === 1 ? "" : "s"}`;

/** Milliseconds since the epoch of an API time; a time without a zone is UTC. */
export function parseTime(iso) {
  if (!iso) return null;
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
}
