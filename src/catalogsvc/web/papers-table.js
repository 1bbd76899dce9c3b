// The papers of a job: searchable, sortable, grouped by category.

import { cell, h, plural, uid } from "./dom.js";
import { paperEditor, sourceNote } from "./paper-editor.js";

const UNCATEGORIZED = "Not classified yet";
const COLUMNS = [
  { key: "title", label: "Title", value: (p) => (p.title || "").toLowerCase() },
  { key: "authors", label: "Authors", value: (p) => (p.authors[0] || "").toLowerCase() },
  { key: "year", label: "Year", value: (p) => p.year ?? -1 },
  { key: "venue", label: "Venue", value: (p) => (p.venue || "").toLowerCase() },
  { key: "file_name", label: "File", value: (p) => p.file_name.toLowerCase() },
  { key: "id", label: "Identifier", value: (p) => (p.doi || p.arxiv_id || "").toLowerCase() },
];

function matches(paper, words) {
  const text = [paper.title, paper.authors.join(" "), paper.year, paper.venue, paper.file_name, paper.doi, paper.arxiv_id, paper.category]
    .join(" ")
    .toLowerCase();
  return words.every((word) => text.includes(word));
}

function identifier(paper) {
  if (paper.doi) return h("a", { href: `https://doi.org/${paper.doi}`, rel: "noopener noreferrer", target: "_blank" }, paper.doi);
  if (paper.arxiv_id) return h("a", { href: `https://arxiv.org/abs/${paper.arxiv_id}`, rel: "noopener noreferrer", target: "_blank" }, `arXiv:${paper.arxiv_id}`);
  return "—";
}

// A category the classifier gave with less confidence than this is worth a look.
const LOW_SCORE = 0.3;

/** "needs review" and why: a missing title, authors or year, or a doubtful category. */
export function reviewNote(paper) {
  const missing = ["title", "authors", "year"].filter((name) => (name === "authors" ? !paper.authors.length : !paper[name]));
  const doubtful = paper.category_score != null && paper.category_score < LOW_SCORE && paper.sources?.category !== "user";
  if (!missing.length && !doubtful) return null;
  const reasons = [...(missing.length ? [`no ${missing.join(", ")}`] : []), ...(doubtful ? [`category score ${paper.category_score.toFixed(2)}`] : [])];
  return h("span", { class: "badge badge-review", title: reasons.join("; ") }, "needs review");
}

/** A long author list as its first three names and how many more. */
export function authorsText(authors) {
  if (!authors.length) return "—";
  if (authors.length <= 4) return authors.join(", ");
  return `${authors.slice(0, 3).join(", ")} and ${authors.length - 3} more`;
}

/** "Journal of Computational Physics 63(2), 222-235" */
export function venueText(paper) {
  if (!paper.venue) return "—";
  let text = paper.venue;
  if (paper.volume) text += ` ${paper.volume}${paper.issue ? `(${paper.issue})` : ""}`;
  if (paper.page_range) text += `, ${paper.page_range}`;
  return text;
}

/** A cell whose tooltip says where its value came from. */
function sourced(label, paper, name, ...content) {
  const td = cell(label, ...content);
  const note = sourceNote(paper, name);
  if (note) td.title = note;
  if (paper.sources?.[name] === "user") td.classList.add("corrected");
  return td;
}

/** A table component; setPapers() replaces the rows and keeps the search and sort. */
export function papersTable() {
  let papers = [];
  let categories = null; // the job's categories once it has ended: papers can be corrected
  let editing = null;
  let sort = { key: "title", ascending: true };
  const searchId = uid("search");
  const search = h("input", { type: "search", id: searchId, placeholder: "Title, author, year, DOI…" });
  const count = h("p", { class: "hint", "aria-live": "polite" });
  const headerRow = h("tr", {});
  const table = h("table", { class: "papers" }, h("caption", { class: "visually-hidden" }, "Papers, grouped by category"), h("thead", {}, headerRow));

  function renderHeader() {
    const correct = categories ? [h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Edit"))] : [];
    headerRow.replaceChildren(
      ...COLUMNS.map((column) => {
        const active = sort.key === column.key;
        const direction = sort.ascending ? "ascending" : "descending";
        return h(
          "th",
          { scope: "col", "aria-sort": active ? direction : "none" },
          h(
            "button",
            {
              type: "button",
              class: "sort",
              onclick: () => {
                sort = { key: column.key, ascending: active ? !sort.ascending : true };
                renderHeader();
                render();
              },
            },
            column.label,
            h("span", { "aria-hidden": "true" }, active ? (sort.ascending ? " ▲" : " ▼") : ""),
          ),
        );
      }),
      ...correct,
    );
  }

  function render() {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const shown = papers.filter((paper) => matches(paper, words));
    const column = COLUMNS.find((c) => c.key === sort.key);
    const sign = sort.ascending ? 1 : -1;
    shown.sort((a, b) => {
      const [x, y] = [column.value(a), column.value(b)];
      return (x < y ? -1 : x > y ? 1 : 0) * sign;
    });
    const groups = new Map();
    for (const paper of shown) {
      const name = paper.category || UNCATEGORIZED;
      if (!groups.has(name)) groups.set(name, []);
      groups.get(name).push(paper);
    }
    const names = [...groups.keys()].sort((a, b) => (a === UNCATEGORIZED) - (b === UNCATEGORIZED) || a.localeCompare(b));
    table.querySelectorAll("tbody").forEach((body) => body.remove());
    const columns = COLUMNS.length + (categories ? 1 : 0);
    for (const name of names) {
      const rows = groups.get(name);
      table.append(
        h(
          "tbody",
          {},
          h("tr", { class: "group" }, h("th", { colspan: columns, scope: "rowgroup" }, `${name} (${rows.length})`)),
          rows.flatMap((paper) => paperRows(paper, columns)),
        ),
      );
    }
    count.textContent = words.length
      ? `${shown.length} of ${plural(papers.length, "paper")} match.`
      : `${plural(papers.length, "paper")}.`;
  }

  function paperRows(paper, columns) {
    const row = h(
      "tr",
      {},
      sourced("Title", paper, "title", h("span", { class: "paper-title" }, paper.title || "(no title found)"), reviewNote(paper)),
      sourced("Authors", paper, "authors", authorsText(paper.authors)),
      sourced("Year", paper, "year", paper.year ? String(paper.year) : "—"),
      sourced("Venue", paper, "venue", venueText(paper)),
      cell("File", paper.file_name),
      sourced("Identifier", paper, "doi", identifier(paper)),
    );
    if (!categories) return [row];
    const label = `Edit ${paper.title || paper.file_name}`;
    row.append(cell("Edit", h("button", { type: "button", class: "secondary small", "aria-label": label, onclick: () => { editing = paper.id; render(); } }, "Edit")));
    if (editing !== paper.id) return [row];
    const editor = paperEditor(paper, categories, {
      onSaved(saved) {
        papers = papers.map((p) => (p.id === saved.id ? saved : p));
        editing = null;
        render();
        const where = saved.category ? ` (under ${saved.category})` : "";
        count.textContent = `Correction saved: ${saved.title || saved.file_name}${where}.`;
      },
      onClose() {
        editing = null;
        render();
      },
    });
    return [row, h("tr", { class: "editor-row" }, h("td", { colspan: columns }, editor))];
  }

  search.addEventListener("input", render);
  renderHeader();
  render();
  return {
    element: h(
      "section",
      { class: "papers-section", "aria-label": "Papers" },
      h("div", { class: "field search" }, h("label", { for: searchId }, "Search papers"), search),
      count,
      h("div", { class: "table-wrap" }, table),
    ),
    setPapers(list) {
      papers = [...list];
      render();
    },
    /** Once the job has ended its papers can be corrected, into one of these categories. */
    setEditable(names) {
      categories = names;
      renderHeader();
      render();
    },
    addPaper(paper) {
      if (papers.some((p) => p.id === paper.id)) return;
      papers.push(paper);
      render();
    },
  };
}
