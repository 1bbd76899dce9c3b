// The papers of a job: searchable, sortable, grouped by category.

import { cell, h, plural, uid } from "./dom.js";

const UNCATEGORIZED = "Not classified yet";
const COLUMNS = [
  { key: "title", label: "Title", value: (p) => (p.title || "").toLowerCase() },
  { key: "authors", label: "Authors", value: (p) => (p.authors[0] || "").toLowerCase() },
  { key: "year", label: "Year", value: (p) => p.year ?? -1 },
  { key: "file_name", label: "File", value: (p) => p.file_name.toLowerCase() },
  { key: "id", label: "Identifier", value: (p) => (p.doi || p.arxiv_id || "").toLowerCase() },
];

function matches(paper, words) {
  const text = [paper.title, paper.authors.join(" "), paper.year, paper.file_name, paper.doi, paper.arxiv_id, paper.category]
    .join(" ")
    .toLowerCase();
  return words.every((word) => text.includes(word));
}

function identifier(paper) {
  if (paper.doi) return h("a", { href: `https://doi.org/${paper.doi}`, rel: "noopener noreferrer", target: "_blank" }, paper.doi);
  if (paper.arxiv_id) return h("a", { href: `https://arxiv.org/abs/${paper.arxiv_id}`, rel: "noopener noreferrer", target: "_blank" }, `arXiv:${paper.arxiv_id}`);
  return "—";
}

function paperRow(paper) {
  return h(
    "tr",
    {},
    cell("Title", h("span", { class: "paper-title" }, paper.title || "(no title found)")),
    cell("Authors", paper.authors.join(", ") || "—"),
    cell("Year", paper.year ? String(paper.year) : "—"),
    cell("File", paper.file_name),
    cell("Identifier", identifier(paper)),
  );
}

/** A table component; setPapers() replaces the rows and keeps the search and sort. */
export function papersTable() {
  let papers = [];
  let sort = { key: "title", ascending: true };
  const searchId = uid("search");
  const search = h("input", { type: "search", id: searchId, placeholder: "Title, author, year, DOI…" });
  const count = h("p", { class: "hint", "aria-live": "polite" });
  const headerRow = h("tr", {});
  const table = h("table", { class: "papers" }, h("caption", { class: "visually-hidden" }, "Papers, grouped by category"), h("thead", {}, headerRow));

  function renderHeader() {
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
    for (const name of names) {
      const rows = groups.get(name);
      table.append(
        h(
          "tbody",
          {},
          h("tr", { class: "group" }, h("th", { colspan: COLUMNS.length, scope: "rowgroup" }, `${name} (${rows.length})`)),
          rows.map(paperRow),
        ),
      );
    }
    count.textContent = words.length
      ? `${shown.length} of ${plural(papers.length, "paper")} match.`
      : `${plural(papers.length, "paper")}.`;
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
    addPaper(paper) {
      if (papers.some((p) => p.id === paper.id)) return;
      papers.push(paper);
      render();
    },
  };
}
