// The library: papers of every job, searched and filtered on the server, paged by cursor;
// a selection, or everything a query finds, downloads as a catalog.

import { api, CATALOG_FORMATS } from "./api.js";
import { cell, h, messageBox, plural, shortId, uid } from "./dom.js";
import { authorsText, reviewNote, venueText } from "./papers-table.js";

const FILTERS = ["q", "category", "year_from", "year_to", "venue", "needs_review", "one_per_work"];
const PAGE_SIZE = 25;
const MAX_SELECTION = 1000; // the ids one download's URL carries (GET /api/papers/catalog?id=…)

/** The query string of a library route, with only the filters that are set. */
function libraryQuery(values, cursor = null) {
  const params = new URLSearchParams();
  for (const name of FILTERS) if (values[name]) params.set(name, values[name]);
  params.set("limit", String(PAGE_SIZE));
  if (cursor) params.set("cursor", cursor);
  return params;
}

// Cursors of the pages before this one, and the papers ticked on any page, kept while the
// filters stay the same.
let earlierCursors = [];
let selection = new Map();
let selectionFilters = "";

export function libraryView(main, { navigate, query }) {
  const params = new URLSearchParams(query);
  const values = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) || ""]));
  const cursor = params.get("cursor");
  const filterKey = libraryQuery(values).toString();
  if (!cursor) earlierCursors = [];
  if (filterKey !== selectionFilters) {
    selection = new Map();
    selectionFilters = filterKey;
  }
  const message = messageBox();
  let nextCursor = null;

  const input = (name, label, props = {}) => {
    const id = uid(name);
    const control = h("input", { id, name, value: values[name], ...props });
    return { control, field: h("div", { class: "field" }, h("label", { for: id }, label), control) };
  };
  const words = input("q", "Search", { type: "search", placeholder: "Words in title, authors, abstract or venue" });
  const category = input("category", "Category", { type: "text" });
  const venue = input("venue", "Venue contains", { type: "text" });
  const yearFrom = input("year_from", "From year", { type: "number", min: 1000, max: 2100, inputmode: "numeric" });
  const yearTo = input("year_to", "To year", { type: "number", min: 1000, max: 2100, inputmode: "numeric" });
  const tick = (name, label) => {
    const box = h("input", { type: "checkbox", id: uid(name), checked: values[name] === "true" });
    return { box, element: h("span", { class: "check" }, box, h("label", { for: box.id }, label)) };
  };
  const review = tick("needs_review", "Only papers that need review");
  const perWork = tick("one_per_work", "One entry per work (hide copies of the same paper)");
  const form = h(
    "form",
    { class: "card library-filters", role: "search" },
    words.field,
    h("div", { class: "filter-grid" }, category.field, venue.field, yearFrom.field, yearTo.field),
    h("div", {}, review.element, perWork.element),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Search")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = {
      q: words.control.value.trim(),
      category: category.control.value.trim(),
      venue: venue.control.value.trim(),
      year_from: yearFrom.control.value,
      year_to: yearTo.control.value,
      needs_review: review.box.checked ? "true" : "",
      one_per_work: perWork.box.checked ? "true" : "",
    };
    navigate(`#/library?${libraryQuery(chosen)}`);
  });

  const format = h("select", { id: uid("format") }, CATALOG_FORMATS.map(([value, label]) => h("option", { value }, label)));
  const downloadSelected = h("a", { class: "button", download: "" }, "Download selected");
  const downloadAll = h("a", { class: "button secondary", download: "" }, "Download all matching");
  const clear = h("button", { type: "button", class: "secondary" }, "Clear selection");
  const selectionNote = h("p", { class: "hint", "aria-live": "polite" });
  const pageBox = h("input", { type: "checkbox", "aria-label": "Select every paper on this page" });
  const body = h("tbody");
  const summary = h("p", { class: "hint", "aria-live": "polite" });
  const previous = h("button", { type: "button", class: "secondary", disabled: !cursor }, "Previous");
  const next = h("button", { type: "button", class: "secondary", disabled: true }, "Next");

  function updateDownloads() {
    const filters = libraryQuery(values);
    downloadAll.href = api.libraryCatalogUrl(filters, format.value);
    const ids = new URLSearchParams();
    for (const id of selection.keys()) ids.append("id", String(id));
    downloadSelected.href = api.libraryCatalogUrl(ids, format.value);
    downloadSelected.hidden = clear.hidden = selection.size === 0;
    downloadSelected.textContent = `Download selected (${selection.size})`;
    selectionNote.textContent = selection.size ? `${plural(selection.size, "paper")} selected.` : "Tick papers to download only those.";
    const boxes = [...body.querySelectorAll("input[type=checkbox]")];
    pageBox.checked = boxes.length > 0 && boxes.every((box) => box.checked);
  }

  function row(paper) {
    const label = paper.title || paper.file_name;
    const box = h("input", { type: "checkbox", "aria-label": `Select ${label}`, checked: selection.has(paper.id) });
    box.addEventListener("change", () => {
      if (box.checked && selection.size >= MAX_SELECTION) {
        box.checked = false;
        message.show(`At most ${MAX_SELECTION} papers download as a selection: use "Download all matching" with a search for more.`, "warning");
        return;
      }
      if (box.checked) selection.set(paper.id, label);
      else selection.delete(paper.id);
      updateDownloads();
    });
    const others = paper.same_work?.length || 0;
    const copies = others ? h("span", { class: "hint copies" }, others === 1 ? " (1 other copy)" : ` (${others} other copies)`) : null;
    return h(
      "tr",
      { "data-paper-id": paper.id },
      h("td", { class: "select" }, box),
      cell("Title", h("span", { class: "paper-title" }, paper.title || "(no title found)"), copies, reviewNote(paper)),
      cell("Authors", authorsText(paper.authors)),
      cell("Year", paper.year ? String(paper.year) : "—"),
      cell("Venue", venueText(paper)),
      cell("Category", paper.category || "—"),
      cell("Job", h("a", { href: `#/jobs/${paper.job_id}` }, shortId(paper.job_id))),
    );
  }

  async function load() {
    let page;
    try {
      page = await api.library(libraryQuery(values, cursor));
    } catch (error) {
      message.show(`The library could not be searched: ${error.message}`);
      return;
    }
    nextCursor = page.next_cursor;
    body.replaceChildren(...page.items.map(row));
    if (!page.items.length) body.append(h("tr", {}, h("td", { colspan: 7 }, filterKey === libraryQuery({}).toString() ? "No papers yet: run a job first." : "No papers match.")));
    summary.textContent = `${plural(page.items.length, "paper")} on this page${nextCursor ? ", more on the next" : ""}.`;
    next.disabled = !nextCursor;
    updateDownloads();
  }

  pageBox.addEventListener("change", () => {
    for (const box of body.querySelectorAll("input[type=checkbox]")) {
      if (box.checked !== pageBox.checked) {
        box.checked = pageBox.checked;
        box.dispatchEvent(new Event("change"));
      }
    }
  });
  clear.addEventListener("click", () => {
    selection.clear();
    for (const box of body.querySelectorAll("input[type=checkbox]")) box.checked = false;
    updateDownloads();
  });
  format.addEventListener("change", updateDownloads);
  next.addEventListener("click", () => {
    earlierCursors.push(cursor);
    navigate(`#/library?${libraryQuery(values, nextCursor)}`);
  });
  previous.addEventListener("click", () => navigate(`#/library?${libraryQuery(values, earlierCursors.pop() ?? null)}`));

  main.replaceChildren(
    h("h1", { tabindex: -1 }, "Library"),
    h("p", { class: "hint" }, "Papers of every job, newest first."),
    form,
    message.element,
    h("div", { class: "actions downloads-bar" }, h("label", { for: format.id }, "Format"), format, downloadSelected, downloadAll, clear, selectionNote),
    summary,
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "papers library" },
        h("caption", { class: "visually-hidden" }, "Papers found, newest first"),
        h(
          "thead",
          {},
          h("tr", {}, h("th", { scope: "col", class: "select" }, pageBox), ["Title", "Authors", "Year", "Venue", "Category", "Job"].map((label) => h("th", { scope: "col" }, label))),
        ),
        body,
      ),
    ),
    h("nav", { class: "pager", "aria-label": "Pages" }, previous, next),
  );
  load();
  return () => {};
}
