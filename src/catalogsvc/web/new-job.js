// The "New job" view: PDFs dropped or picked, or a folder on the server, and a taxonomy.

import { api } from "./api.js";
import { formatBytes, h, messageBox, plural, uid } from "./dom.js";
import { taxonomyPicker } from "./taxonomy.js";

const isPdf = (file) => file.type === "application/pdf" || /\.pdf$/i.test(file.name);

export function newJobView(main, { navigate }) {
  const message = messageBox();
  const picker = taxonomyPicker({ onError: (text) => message.show(text) });
  let chosen = [];

  const fileInputId = uid("files");
  const fileInput = h("input", {
    type: "file",
    id: fileInputId,
    multiple: true,
    accept: "application/pdf,.pdf",
  });
  const fileList = h("ul", { class: "file-list" });
  const fileSummary = h("p", { class: "hint", "aria-live": "polite" }, "No files chosen.");
  const clearButton = h("button", { type: "button", class: "secondary", hidden: true }, "Clear list");
  const dropZone = h(
    "div",
    { class: "dropzone" },
    h("p", {}, "Drag and drop PDF files here, or"),
    h("label", { for: fileInputId, class: "field-label" }, "Choose PDF files"),
    fileInput,
  );

  function addFiles(files) {
    const rejected = files.filter((file) => !isPdf(file)).map((file) => file.name);
    const known = new Set(chosen.map((f) => `${f.name}/${f.size}`));
    chosen = chosen.concat(files.filter((f) => isPdf(f) && !known.has(`${f.name}/${f.size}`)));
    if (rejected.length) message.show(`Not PDFs, left out: ${rejected.join(", ")}`, "warning");
    else message.clear();
    renderFiles();
  }

  function renderFiles() {
    const bytes = chosen.reduce((sum, f) => sum + f.size, 0);
    fileSummary.textContent = chosen.length
      ? `${plural(chosen.length, "file")} chosen, ${formatBytes(bytes)}.`
      : "No files chosen.";
    clearButton.hidden = !chosen.length;
    fileList.replaceChildren(
      ...chosen.map((file, index) =>
        h(
          "li",
          {},
          h("span", {}, file.name),
          h(
            "button",
            {
              type: "button",
              class: "link",
              "aria-label": `Remove ${file.name}`,
              onclick: () => {
                chosen.splice(index, 1);
                renderFiles();
              },
            },
            "Remove",
          ),
        ),
      ),
    );
  }

  fileInput.addEventListener("change", () => {
    addFiles([...fileInput.files]);
    fileInput.value = "";
  });
  clearButton.addEventListener("click", () => {
    chosen = [];
    renderFiles();
  });
  dropZone.addEventListener("dragover", (event) => {
    event.preventDefault();
    dropZone.classList.add("dragging");
  });
  dropZone.addEventListener("dragleave", () => dropZone.classList.remove("dragging"));
  dropZone.addEventListener("drop", (event) => {
    event.preventDefault();
    dropZone.classList.remove("dragging");
    addFiles([...event.dataTransfer.files]);
  });

  const pathId = uid("path");
  const folderPath = h("input", { id: pathId, type: "text", placeholder: "/srv/papers/2024", autocomplete: "off" });
  const recursive = h("input", { type: "checkbox", id: uid("recursive") });
  const uploadPanel = h("div", { class: "panel" }, dropZone, fileSummary, fileList, clearButton);
  const folderPanel = h(
    "div",
    { class: "panel", hidden: true },
    h("div", { class: "field" }, h("label", { for: pathId }, "Folder path on the server"), folderPath),
    h("div", { class: "check" }, recursive, h("label", { for: recursive.id }, "Include subfolders")),
  );

  const sourceName = uid("source");
  const sourceRadio = (value, label, checked) => {
    const input = h("input", { type: "radio", name: sourceName, value, id: uid("source"), checked });
    input.addEventListener("change", () => {
      uploadPanel.hidden = value !== "upload";
      folderPanel.hidden = value !== "folder";
    });
    return h("span", { class: "check" }, input, h("label", { for: input.id }, label));
  };
  const source = () => main.querySelector(`input[name="${sourceName}"]:checked`).value;

  const uploadProgress = h("progress", { max: 1, value: 0, hidden: true, "aria-label": "Upload progress" });
  const startButton = h("button", { type: "submit" }, "Start job");

  async function start(event) {
    event.preventDefault();
    message.clear();
    let taxonomy;
    try {
      taxonomy = picker.value();
    } catch (error) {
      message.show(error.message);
      return;
    }
    startButton.disabled = true;
    try {
      let job;
      if (source() === "upload") {
        if (!chosen.length) throw new Error("Choose at least one PDF file first.");
        uploadProgress.hidden = false;
        job = await api.uploadJob(chosen, taxonomy, (share) => (uploadProgress.value = share));
      } else {
        if (!folderPath.value.trim()) throw new Error("Type the path of a folder on the server first.");
        job = await api.folderJob(folderPath.value.trim(), recursive.checked, taxonomy);
      }
      navigate(`#/jobs/${job.id}`);
    } catch (error) {
      message.show(`The job could not be started: ${error.message}`);
      startButton.disabled = false;
      uploadProgress.hidden = true;
    }
  }

  main.replaceChildren(
    h("h1", { tabindex: -1 }, "New job"),
    h(
      "form",
      { class: "stack", onsubmit: start, novalidate: true },
      h(
        "fieldset",
        {},
        h("legend", {}, "Papers"),
        h(
          "div",
          { class: "choices", role: "radiogroup", "aria-label": "Where the papers come from" },
          sourceRadio("upload", "Upload PDF files", true),
          sourceRadio("folder", "A folder on the server", false),
        ),
        uploadPanel,
        folderPanel,
      ),
      picker.element,
      message.element,
      h("div", { class: "actions" }, startButton, uploadProgress),
    ),
  );
  return () => {};
}
