// The job history: newest first, filtered by status, paged by cursor, with batch cancel.

import { api } from "./api.js";
import { cell, formatDate, h, isTerminal, messageBox, plural, shortId, STATUSES, statusBadge } from "./dom.js";

const PAGE_SIZE = 20;
const OUTCOME_WORDS = {
  cancelled: "cancelled",
  already_cancelled: "already cancelled",
  not_cancellable: "not cancellable (already finished)",
  not_found: "not found",
};

/** Read the filter, page size and cursor from "#/history?status=a&status=b&limit=n&cursor=c". */
function readQuery(query) {
  const params = new URLSearchParams(query);
  const limit = Number.parseInt(params.get("limit"), 10);
  return {
    statuses: params.getAll("status"),
    cursor: params.get("cursor"),
    limit: limit > 0 && limit <= 500 ? limit : PAGE_SIZE,
  };
}

function historyHash(statuses, cursor, limit) {
  const params = new URLSearchParams();
  for (const status of statuses) params.append("status", status);
  if (limit !== PAGE_SIZE) params.set("limit", String(limit));
  if (cursor) params.set("cursor", cursor);
  const query = params.toString();
  return query ? `#/history?${query}` : "#/history";
}

// Cursors of the pages before the current one, so "Previous" can go back.
let earlierCursors = [];

/** What the job read: its folder or "upload", and whose resume or reclassify it is. */
function sourceText(job) {
  const read = job.source === "upload" ? "upload" : job.source;
  if (!job.parent_id) return read;
  const how = job.kind === "reclassify" ? "reclassify" : "resume";
  return `${read} (${how} of ${shortId(job.parent_id)})`;
}

export function historyView(main, { navigate, query, flash }) {
  const { statuses, cursor, limit } = readQuery(query);
  if (!cursor) earlierCursors = [];
  const message = messageBox();
  const selected = new Set();
  let nextCursor = null;

  const filters = h(
    "fieldset",
    { class: "filters" },
    h("legend", {}, "Filter by status"),
    h("p", { class: "hint" }, "Tick none to see every job."),
    STATUSES.map((status) => {
      const box = h("input", { type: "checkbox", id: `filter-${status}`, value: status, checked: statuses.includes(status) });
      box.addEventListener("change", () => {
        const chosen = [...filters.querySelectorAll("input:checked")].map((input) => input.value);
        navigate(historyHash(chosen, null, limit));
      });
      return h("span", { class: "check" }, box, h("label", { for: box.id }, status));
    }),
  );
  const cancelSelected = h("button", { type: "button", class: "danger", disabled: true }, "Cancel selected");
  const refresh = h("button", { type: "button", class: "secondary" }, "Refresh");
  const previous = h("button", { type: "button", class: "secondary", disabled: !cursor }, "Previous");
  const next = h("button", { type: "button", class: "secondary", disabled: true }, "Next");
  const body = h("tbody");
  const summary = h("p", { class: "hint", "aria-live": "polite" });

  function updateSelection() {
    cancelSelected.disabled = selected.size === 0;
    cancelSelected.textContent = selected.size ? `Cancel selected (${selected.size})` : "Cancel selected";
  }

  function row(job) {
    const box = h("input", { type: "checkbox", "aria-label": `Select job ${shortId(job.id)}`, checked: selected.has(job.id) });
    box.addEventListener("change", () => {
      if (box.checked) selected.add(job.id);
      else selected.delete(job.id);
      updateSelection();
    });
    const { files_total: total, papers } = job.progress;
    return h(
      "tr",
      { "data-job-id": job.id, "data-status": job.status },
      h("td", { class: "select" }, box),
      cell("Job", h("a", { href: `#/jobs/${job.id}` }, job.name || shortId(job.id)), " ", h("span", { class: "hint" }, shortId(job.id))),
      cell("Status", statusBadge(job.status)),
      cell("Created", formatDate(job.created_at)),
      cell("Source", sourceText(job)),
      cell("Papers", `${plural(papers, "paper")} from ${plural(total, "file")}`),
      cell("Taxonomy", job.taxonomy.name),
    );
  }

  async function load() {
    let items;
    try {
      const page = await api.listJobs({ statuses, cursor, limit });
      items = page.items;
      nextCursor = page.next_cursor;
    } catch (error) {
      message.show(`The history could not be loaded: ${error.message}`);
      return;
    }
    const ids = new Set(items.map((job) => job.id));
    for (const id of [...selected]) if (!ids.has(id)) selected.delete(id);
    body.replaceChildren(...items.map(row));
    if (!items.length) body.append(h("tr", {}, h("td", { colspan: 7 }, statuses.length ? "No jobs with this status." : "No jobs yet.")));
    const active = items.filter((job) => !isTerminal(job.status)).length;
    summary.textContent = `${plural(items.length, "job")} on this page${active ? `, ${active} active` : ""}.`;
    next.disabled = !nextCursor;
    updateSelection();
  }

  cancelSelected.addEventListener("click", async () => {
    cancelSelected.disabled = true;
    try {
      const { results } = await api.cancelMany([...selected]);
      const lines = results.map((r) => `${shortId(r.id)}: ${OUTCOME_WORDS[r.outcome] || r.outcome}`);
      const done = results.filter((r) => r.outcome === "cancelled").length;
      message.show(`${plural(done, "job")} cancelled. ${lines.join("; ")}.`, "info");
      selected.clear();
    } catch (error) {
      message.show(`The jobs could not be cancelled: ${error.message}`);
    }
    await load();
  });
  refresh.addEventListener("click", () => {
    message.clear();
    load();
  });
  next.addEventListener("click", () => {
    earlierCursors.push(cursor);
    navigate(historyHash(statuses, nextCursor, limit));
  });
  previous.addEventListener("click", () => navigate(historyHash(statuses, earlierCursors.pop() ?? null, limit)));

  main.replaceChildren(
    h("h1", { tabindex: -1 }, "History"),
    filters,
    message.element,
    h("div", { class: "actions" }, cancelSelected, refresh),
    summary,
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "history" },
        h("caption", { class: "visually-hidden" }, "Jobs, newest first"),
        h(
          "thead",
          {},
          h("tr", {}, ["Select", "Job", "Status", "Created", "Source", "Papers", "Taxonomy"].map((label) =>
            h("th", { scope: "col", class: label === "Select" ? "select" : null }, label === "Select" ? h("span", { class: "visually-hidden" }, label) : label),
          )),
        ),
        body,
      ),
    ),
    h("nav", { class: "pager", "aria-label": "Pages" }, previous, next),
  );
  if (flash) message.show(flash, "info");
  load();
  return () => {};
}
