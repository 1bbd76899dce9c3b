// The API key view: save the key this browser sends to a service that asks for one, or forget it.

import { api, apiKey } from "./api.js";
import { h, messageBox, uid } from "./dom.js";

export function keyView(main, { flash }) {
  const message = messageBox();
  const inputId = uid("api-key");
  const input = h("input", { id: inputId, type: "password", autocomplete: "off", value: apiKey.get() });

  async function save(event) {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) {
      message.show("Type the key first.");
      return;
    }
    apiKey.set(key);
    try {
      await api.listJobs({ limit: 1 });
      message.show("Saved: this browser now sends the key, and the service accepts it.", "info");
    } catch (error) {
      message.show(`Saved, but the service refused it: ${error.message}`);
    }
  }

  function forget() {
    apiKey.forget();
    input.value = "";
    message.show("Forgotten: this browser sends no key.", "info");
  }

  main.replaceChildren(
    h("h1", { tabindex: "-1" }, "API key"),
    h(
      "p",
      { class: "hint" },
      "A service started with CATALOGSVC_API_KEYS asks for one of its keys, and each key sees only its own jobs. ",
      "The key is kept in this browser only.",
    ),
    h(
      "form",
      { onsubmit: save },
      h("div", { class: "field" }, h("label", { for: inputId }, "API key"), input),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "submit" }, "Save key"),
        h("button", { type: "button", class: "secondary", onclick: forget }, "Forget key"),
      ),
    ),
    message.element,
  );
  if (flash) message.show(flash, "info");
  return () => {};
}
