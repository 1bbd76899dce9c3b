// Choosing a taxonomy: a built-in one, or custom categories typed one per line.

import { api } from "./api.js";
import { h, uid } from "./dom.js";

const CUSTOM = "__custom__";
let builtins = null; // the promise of the built-in taxonomies, fetched once per page load

/** The built-in taxonomies; a failed fetch is forgotten so the next picker tries again. */
function loadBuiltins() {
  builtins ??= api.taxonomies().catch((error) => {
    builtins = null;
    throw error;
  });
  return builtins;
}

/** Parse "Name: optional description" lines into categories; throws on a line without a name. */
function parseCategories(text) {
  const categories = [];
  text.split("\n").forEach((line, index) => {
    if (!line.trim()) return;
    const colon = line.indexOf(":");
    const name = (colon < 0 ? line : line.slice(0, colon)).trim();
    const description = colon < 0 ? "" : line.slice(colon + 1).trim();
    if (!name) throw new Error(`Line ${index + 1} of the custom categories has no name before the colon.`);
    categories.push({ name, description });
  });
  if (!categories.length) throw new Error("Type at least one custom category, one per line.");
  return categories;
}

/** A fieldset to pick a taxonomy; value() gives what the API takes, or throws with a message. */
export function taxonomyPicker({ legend = "Taxonomy", onError = () => {} } = {}) {
  const selectId = uid("taxonomy");
  const textId = uid("categories");
  const select = h("select", { id: selectId, name: "taxonomy" });
  const preview = h("ul", { class: "category-list" });
  const details = h("details", {}, h("summary", {}, "Show its categories"), preview);
  const textarea = h("textarea", {
    id: textId,
    rows: 6,
    placeholder: "Robotics: robots, manipulation, control\nVision: images, video\nOther",
    "aria-describedby": `${textId}-hint`,
  });
  let available = [];
  const custom = h(
    "div",
    { class: "field", hidden: true },
    h("label", { for: textId }, "Custom categories"),
    h("p", { class: "hint", id: `${textId}-hint` }, "One per line: Name: optional description"),
    textarea,
  );

  function update() {
    const isCustom = select.value === CUSTOM;
    custom.hidden = !isCustom;
    details.hidden = isCustom;
    const chosen = available.find((t) => t.name === select.value);
    preview.replaceChildren(
      ...(chosen ? chosen.categories : []).map((c) =>
        h("li", {}, h("strong", {}, c.name), c.description ? ` — ${c.description}` : ""),
      ),
    );
  }
  select.addEventListener("change", update);

  loadBuiltins()
    .then((list) => {
      available = list;
      select.replaceChildren(
        ...list.map((t) => h("option", { value: t.name }, `${t.name} (${t.categories.length} categories)`)),
        h("option", { value: CUSTOM }, "Custom categories…"),
      );
      update();
    })
    .catch((error) => {
      select.replaceChildren(h("option", { value: CUSTOM }, "Custom categories…"));
      update();
      onError(`The built-in taxonomies could not be loaded: ${error.message}`);
    });

  const element = h(
    "fieldset",
    { class: "taxonomy" },
    h("legend", {}, legend),
    h("div", { class: "field" }, h("label", { for: selectId }, "Classify into"), select),
    details,
    custom,
  );
  return {
    element,
    value: () => (select.value === CUSTOM ? parseCategories(textarea.value) : select.value),
  };
}
