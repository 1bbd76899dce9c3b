// What can be done with a finished job: download its catalogs, resume, reclassify, delete.

import { api, CATALOG_FORMATS } from "./api.js";
import { h, isPartial, shortId } from "./dom.js";
import { taxonomyPicker } from "./taxonomy.js";

function downloads(job) {
  const partial = isPartial(job.status);
  return h(
    "section",
    { class: "card", "aria-labelledby": `downloads-${job.id}` },
    h("h2", { id: `downloads-${job.id}` }, partial ? "Download the partial catalog" : "Download the catalog"),
    partial
      ? h("p", { class: "hint" }, `The job ended ${job.status}: the catalogs hold the papers extracted before it stopped.`)
      : null,
    h(
      "ul",
      { class: "downloads" },
      CATALOG_FORMATS.map(([format, label]) =>
        h("li", {}, h("a", { href: api.catalogUrl(job.id, format), download: "", class: "button secondary" }, partial ? `${label} (partial)` : label)),
      ),
    ),
  );
}

/** A card that starts a new job from this one and opens it; start() returns the new job. */
function newJobForm({ title, hint, controls, verb, start }, { navigate, message }) {
  const button = h("button", { type: "submit" }, title);
  const submit = async (event) => {
    event.preventDefault();
    button.disabled = true;
    try {
      const next = await start();
      navigate(`#/jobs/${next.id}`);
    } catch (error) {
      message.show(`The job could not be ${verb}: ${error.message}`);
      button.disabled = false;
    }
  };
  return h(
    "form",
    { class: "card", onsubmit: submit },
    h("h2", {}, title),
    h("p", { class: "hint" }, hint),
    controls,
    h("div", { class: "actions" }, button),
  );
}

function resumeForm(job, context) {
  const retry = h("input", { type: "checkbox", id: `retry-${job.id}` });
  return newJobForm(
    {
      title: "Resume",
      hint: "A new job runs the files this one did not finish and reuses its papers.",
      controls: h("div", { class: "check" }, retry, h("label", { for: retry.id }, "Retry failed files too")),
      verb: "resumed",
      start: () => api.resume(job.id, retry.checked),
    },
    context,
  );
}

function reclassifyForm(job, context) {
  const picker = taxonomyPicker({ legend: "New taxonomy", onError: (text) => context.message.show(text) });
  return newJobForm(
    {
      title: "Reclassify",
      hint: "A new job classifies these papers again, without reading the PDFs again.",
      controls: picker.element,
      verb: "reclassified",
      // picker.value() throws on bad custom categories; inside start() its message gets the same prefix.
      start: () => api.reclassify(job.id, picker.value()),
    },
    context,
  );
}

function deleteControl(job, { navigate, message }) {
  const confirmRow = h("div", { class: "actions", hidden: true });
  const ask = h("button", { type: "button", class: "danger" }, "Delete job");
  const yes = h("button", { type: "button", class: "danger" }, "Yes, delete it");
  const no = h("button", { type: "button", class: "secondary" }, "Keep it");
  confirmRow.append(h("p", { role: "status" }, "Delete this job with its papers, catalogs and uploaded files?"), yes, no);
  ask.addEventListener("click", () => {
    confirmRow.hidden = false;
    ask.hidden = true;
    no.focus();
  });
  no.addEventListener("click", () => {
    confirmRow.hidden = true;
    ask.hidden = false;
    ask.focus();
  });
  yes.addEventListener("click", async () => {
    yes.disabled = true;
    try {
      await api.remove(job.id);
      navigate("#/history", `Job ${shortId(job.id)} was deleted.`);
    } catch (error) {
      message.show(`The job could not be deleted: ${error.message}`);
      yes.disabled = false;
    }
  });
  return h("section", { class: "card" }, h("h2", {}, "Delete"), h("div", { class: "actions" }, ask), confirmRow);
}

/** The actions of a finished (terminal) job. */
/** A job resumed already: its child finishes it, so the way on is a link, not a second resume. */
function resumedBy(job) {
  return h(
    "section",
    { class: "card", "aria-labelledby": `resumed-${job.id}` },
    h("h2", { id: `resumed-${job.id}` }, "Resumed"),
    h("p", {}, "This job was resumed by ", h("a", { href: `#/jobs/${job.resumed_by}` }, `job ${shortId(job.resumed_by)}`), "."),
  );
}

export function jobActions(job, context) {
  return h(
    "div",
    { class: "job-actions" },
    downloads(job),
    isPartial(job.status) ? (job.resumed_by ? resumedBy(job) : resumeForm(job, context)) : null,
    reclassifyForm(job, context),
    deleteControl(job, context),
  );
}
