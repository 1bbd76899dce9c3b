// Correcting one paper in place: a form under its row, sent as PATCH /api/papers/{id}.

import { api } from "./api.js";
import { h, messageBox, uid } from "./dom.js";

const TEXT_FIELDS = [
  ["title", "Title"],
  ["venue", "Venue"],
  ["volume", "Volume"],
  ["issue", "Issue"],
  ["page_range", "Pages"],
  ["doi", "DOI"],
];

function field(label, control) {
  const id = uid("edit");
  control.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, label), control);
}

/** The value a form control holds, as the API takes it: empty clears the field. */
function valueOf(name, control) {
  const text = control.value.trim();
  if (name === "authors") return text ? text.split("\n").map((a) => a.trim()).filter(Boolean) : [];
  if (name === "year") return text ? Number(text) : null;
  return text || null;
}

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** A form to correct `paper`; onSaved(paper) gets the stored paper, onClose() closes it. */
export function paperEditor(paper, categories, { onSaved, onClose }) {
  const message = messageBox();
  const controls = {};
  for (const [name] of TEXT_FIELDS) controls[name] = h("input", { type: "text", value: paper[name] ?? "" });
  controls.year = h("input", { type: "number", min: 1000, max: 2100, value: paper.year ?? "" });
  controls.authors = h("textarea", { rows: 3 });
  controls.authors.value = paper.authors.join("\n");
  controls.abstract = h("textarea", { rows: 4 });
  controls.abstract.value = paper.abstract ?? "";
  controls.category = h(
    "select",
    {},
    categories.map((name) => h("option", { value: name, selected: name === paper.category }, name)),
  );
  const save = h("button", { type: "submit" }, "Save correction");
  const form = h(
    "form",
    { class: "paper-editor", "aria-label": `Correct ${paper.title || paper.file_name}` },
    h("div", { class: "grid" }, ...TEXT_FIELDS.map(([name, label]) => field(label, controls[name])), field("Year", controls.year)),
    field("Authors (one per line)", controls.authors),
    field("Abstract", controls.abstract),
    field("Category", controls.category),
    h("div", { class: "actions" }, save, h("button", { type: "button", class: "secondary", onclick: onClose }, "Cancel")),
    message.element,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const changes = {};
    for (const [name, control] of Object.entries(controls)) {
      const value = valueOf(name, control);
      if (!same(value, name === "category" ? paper.category : paper[name])) changes[name] = value;
    }
    if (!Object.keys(changes).length) return onClose();
    save.disabled = true;
    try {
      onSaved(await api.correctPaper(paper.id, changes));
    } catch (error) {
      message.show(error.message);
      save.disabled = false;
    }
  });
  return form;
}

/** Where a field came from, for the cell's tooltip: "pdf", "metadata", "user"… */
export function sourceNote(paper, name) {
  const source = paper.sources?.[name];
  return source ? `from ${source === "user" ? "your correction" : source}` : undefined;
}
