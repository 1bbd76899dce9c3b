// One job: live progress while it runs (Server-Sent Events, polling as fallback), then its results.

import { api } from "./api.js";
import { formatDate, formatDuration, h, isTerminal, messageBox, parseTime, plural, shortId, statusBadge } from "./dom.js";
import { jobActions } from "./job-actions.js";
import { papersTable } from "./papers-table.js";

const POLL_MS = 2000;

/** A term and its value; both hidden together when only a running job has it. */
function term(label, value, { whileActive = false } = {}) {
  const cls = whileActive ? "while-active" : null;
  return [h("dt", { class: cls }, label), h("dd", { class: cls }, value)];
}

export function jobView(main, { navigate, params: [jobId] }) {
  const message = messageBox();
  const table = papersTable();
  const running = new Set();
  let job = null;
  let fileErrors = [];
  let classified = null;
  let source = null;
  let pollTimer = null;
  let disposed = false;
  let loadedAt = -1; // files_done when the papers and files were last loaded
  let finished = null;

  const heading = h("h1", { tabindex: -1 }, `Job ${shortId(jobId)}`);
  const badgeSlot = h("span", { class: "badge-slot", "aria-live": "polite" });
  const meta = h("p", { class: "meta" });
  const stopNote = h("p", { class: "stop-note", hidden: true });
  const phase = h("span");
  const files = h("span");
  const current = h("span", { class: "current-file" });
  const elapsed = h("span");
  const remaining = h("span");
  const bar = h("progress", { max: 1, value: 0, "aria-label": "Files done" });
  const cancelButton = h("button", { type: "button", class: "danger" }, "Cancel job");
  const live = h(
    "section",
    { class: "card live", "aria-label": "Progress" },
    h("div", { class: "progress-line" }, bar, files),
    h(
      "dl",
      { class: "facts" },
      term("Phase", phase),
      term("Reading now", current, { whileActive: true }),
      term("Elapsed", elapsed),
      term("Time left", remaining, { whileActive: true }),
    ),
    h("div", { class: "actions" }, cancelButton),
  );
  const errorList = h("ul", { class: "file-errors" });
  const errorsSection = h("section", { class: "card", hidden: true }, h("h2", {}, "File errors"), errorList);
  const actionsSlot = h("div");
  let parentGone = false;
  let parentChecked = false;

  main.replaceChildren(
    h("div", { class: "title-line" }, heading, badgeSlot),
    meta,
    message.element,
    stopNote,
    live,
    h("h2", {}, "Papers"),
    table.element,
    errorsSection,
    actionsSlot,
  );

  function timeLeft() {
    if (job.status === "queued") return "waiting for a free slot";
    const { files_total: total, files_done: done } = job.progress;
    if (job.phase !== "extracting") return job.phase === "queued" ? "—" : "almost done";
    const started = parseTime(job.start_time);
    if (!started || !done) return "estimating…";
    const perFile = (Date.now() - started) / 1000 / done;
    return `about ${formatDuration(perFile * (total - done))}`;
  }

  /** The times, which change every second; kept apart so nothing else is re-announced. */
  function renderClock() {
    if (!job || disposed) return;
    const start = parseTime(job.start_time);
    const end = parseTime(job.end_time);
    elapsed.textContent = start ? formatDuration(((end || Date.now()) - start) / 1000) : "not started";
    remaining.textContent = isTerminal(job.status) ? "—" : timeLeft();
  }

  function render() {
    if (!job || disposed) return;
    if (badgeSlot.textContent !== job.status) badgeSlot.replaceChildren(statusBadge(job.status));
    checkParent();
    let parent = [];
    if (job.parent_id && parentGone) parent = [` · from job ${shortId(job.parent_id)} (deleted)`];
    else if (job.parent_id) parent = [" · from ", h("a", { href: `#/jobs/${job.parent_id}` }, `job ${shortId(job.parent_id)}`)];
    meta.replaceChildren(
      `${job.kind} · taxonomy ${job.taxonomy.name} · ${job.classifier} · created ${formatDate(job.created_at)}`,
      ...parent,
    );
    const { files_total: total, files_done: done, files_failed: failed } = job.progress;
    bar.max = Math.max(total, 1);
    bar.value = done;
    // One snapshot: files and papers counted by the same progress report.
    const papersSoFar = job.progress.papers ?? 0;
    files.textContent = `${done} of ${plural(total, "file")} done${failed ? `, ${failed} failed` : ""} · ${plural(papersSoFar, "paper")}`;
    phase.textContent = classified && job.phase === "classifying" ? `classifying (${classified})` : job.phase;
    current.textContent = running.size ? [...running].join(", ") : "—";
    const active = !isTerminal(job.status);
    cancelButton.hidden = !active;
    live.classList.toggle("ended", !active);
    stopNote.hidden = !job.error;
    stopNote.textContent = job.error ? `Stopped: ${job.error}` : "";
    errorsSection.hidden = !fileErrors.length;
    errorList.replaceChildren(
      ...fileErrors.map((f) => h("li", {}, h("strong", {}, f.file_name), `: ${f.error || f.state}`)),
    );
    renderClock();
  }

  async function loadResults() {
    loadedAt = job.progress.files_done;
    const [papers, fileRows] = await Promise.all([api.papers(jobId), api.files(jobId)]);
    if (disposed) return;
    table.setPapers(papers);
    fileErrors = fileRows.filter((f) => f.state === "failed" || f.state === "skipped");
    render();
  }

  /** Show the ended job's results and actions, once only; loaded is the job if the caller just fetched it. */
  function finish(loaded = null) {
    return (finished ??= (async () => {
      stopLive();
      running.clear();
      try {
        job = loaded ?? (await api.getJob(jobId));
        await loadResults();
      } catch (error) {
        message.show(`The job's results could not be loaded: ${error.message}`);
      }
      if (disposed) return;
      render();
      table.setEditable([...job.taxonomy.categories.map((c) => c.name), "Uncategorized"]);
      actionsSlot.replaceChildren(jobActions(job, { navigate, message }));
    })());
  }

  function onFile(data) {
    if (data.state === "started") running.add(data.file_name);
    else running.delete(data.file_name);
    if (data.state === "done" && data.paper) table.addPaper(data.paper);
    if (data.state === "failed" || data.state === "skipped") fileErrors.push(data);
    render();
  }

  /** A deleted parent is said so, not linked to a page that would answer 404. */
  function checkParent() {
    if (!job.parent_id || parentChecked) return;
    parentChecked = true;
    api.getJob(job.parent_id).catch((error) => {
      if (!/HTTP 404/.test(error.message)) return;
      parentGone = true;
      render();
    });
  }

  function onJob(data) {
    job = data; // the first event: the whole job
    render();
    if (isTerminal(job.status)) finish();
    else loadResults().catch((error) => message.show(error.message));
  }

  function onStatus(data) {
    if (isTerminal(data.status)) {
      job = { ...job, status: data.status, error: data.reason ?? job.error };
      render();
      finish();
      return;
    }
    // Started: the reason is no error; the job row has its start time.
    job = { ...job, status: data.status };
    render();
    api.getJob(jobId).then((loaded) => {
      if (!isTerminal(job.status)) job = { ...loaded, status: job.status };
      render();
    }).catch((error) => message.show(error.message));
  }

  function listen() {
    source = new EventSource(api.eventsUrl(jobId));
    const on = (kind, handler) =>
      source.addEventListener(kind, (event) => handler(JSON.parse(event.data)));
    on("job", onJob);
    on("status", onStatus);
    on("phase", (data) => {
      job = { ...job, phase: data.phase, timings: data.timings ?? job.timings };
      render();
    });
    on("file", onFile);
    on("progress", (data) => {
      const { files_total, files_done, files_failed, papers } = data;
      job = { ...job, progress: { files_total, files_done, files_failed, papers } };
      if (data.classified > 0) classified = `${data.classified} of ${papers}`;
      render();
    });
    source.addEventListener("error", () => {
      stopLive();
      if (!disposed && !isTerminal(job.status)) poll();
    });
  }

  async function poll() {
    try {
      job = await api.getJob(jobId);
      if (isTerminal(job.status)) return finish(job);
      if (job.progress.files_done !== loadedAt) await loadResults();
      message.clear();
    } catch (error) {
      message.show(`Live updates are failing: ${error.message}`);
    }
    render();
    if (!disposed && !finished) pollTimer = setTimeout(poll, POLL_MS);
  }

  function stopLive() {
    if (source) source.close();
    source = null;
    clearTimeout(pollTimer);
  }

  cancelButton.addEventListener("click", async () => {
    cancelButton.disabled = true;
    try {
      job = await api.cancel(jobId);
      render();
      await finish();
    } catch (error) {
      message.show(`The job could not be cancelled: ${error.message}`);
      finish();
    } finally {
      cancelButton.disabled = false;
    }
  });

  const ticker = setInterval(renderClock, 1000);
  api
    .getJob(jobId)
    .then(async (loaded) => {
      job = loaded;
      render();
      // A running job's results load on the stream's first status event, which carries the whole job.
      if (isTerminal(job.status)) await finish(job);
      else listen();
    })
    .catch((error) => message.show(`The job could not be loaded: ${error.message}`));

  return () => {
    disposed = true;
    stopLive();
    clearInterval(ticker);
  };
}
