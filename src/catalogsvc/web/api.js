// The HTTP API of catalogsvc, with its errors turned into readable messages.

class ApiError extends Error {}

const KEY_STORAGE = "catalogsvc.apiKey";

/** The API key this browser sends, if the user saved one. */
export const apiKey = {
  get: () => localStorage.getItem(KEY_STORAGE) || "",
  set: (key) => localStorage.setItem(KEY_STORAGE, key),
  forget: () => localStorage.removeItem(KEY_STORAGE),
};

/** Request headers with the saved key, if any, as a bearer token. */
function headers(extra = {}) {
  const key = apiKey.get();
  return key ? { ...extra, Authorization: `Bearer ${key}` } : extra;
}

/** A URL the browser fetches itself (a stream, a download) carries the key in its query. */
function signed(path) {
  const key = apiKey.get();
  if (!key) return path;
  return `${path}${path.includes("?") ? "&" : "?"}access_token=${encodeURIComponent(key)}`;
}

const NEEDS_KEY = "This service asks for an API key: enter yours under API key.";

/** Turn an error body's detail (a string, or a list of {loc, msg}) into words. */
function describeDetail(detail) {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((item) => {
        const where = (item.loc || []).filter((part) => !["body", "query", "path"].includes(part));
        return where.length ? `${where.join(".")}: ${item.msg}` : item.msg;
      })
      .join("; ");
  }
  return JSON.stringify(detail);
}

/** The error of a failed response: the body's detail if it has one, else the fallback text. */
function apiError(status, fallbackText, body) {
  if (status === 401) return new ApiError(`${NEEDS_KEY} (HTTP 401)`);
  const text = body && body.detail !== undefined ? describeDetail(body.detail) : fallbackText;
  return new ApiError(`${text} (HTTP ${status})`);
}

async function errorFrom(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's error page, say): the status text is all there is.
  }
  return apiError(response.status, response.statusText || "request failed", body);
}

async function request(method, path, json) {
  const options = { method, headers: headers({ Accept: "application/json" }) };
  if (json !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (error) {
    throw new ApiError(`The service could not be reached: ${error.message}`);
  }
  if (!response.ok) throw await errorFrom(response);
  return response.status === 204 ? null : response.json();
}

const job = (id) => `/api/jobs/${encodeURIComponent(id)}`;
const PAGE = 1000;

/** Every row of a paged list: each page's Link header names the next (RFC 8288). */
async function allPages(path) {
  const rows = [];
  let next = `${path}?limit=${PAGE}`;
  while (next) {
    let response;
    try {
      response = await fetch(next, { headers: headers({ Accept: "application/json" }) });
    } catch (error) {
      throw new ApiError(`The service could not be reached: ${error.message}`);
    }
    if (!response.ok) throw await errorFrom(response);
    rows.push(...(await response.json()));
    next = (response.headers.get("Link") || "").match(/<([^>]+)>;\s*rel="next"/)?.[1] || null;
  }
  return rows;
}

export const api = {
  taxonomies: () => request("GET", "/api/taxonomies"),
  listJobs({ statuses = [], cursor = null, limit = 20 } = {}) {
    const query = new URLSearchParams({ limit: String(limit) });
    for (const status of statuses) query.append("status", status);
    if (cursor) query.set("cursor", cursor);
    return request("GET", `/api/jobs?${query}`);
  },
  /** One page of the library; params are the query string's (q, category, cursor, …). */
  library: (params) => request("GET", `/api/papers?${params}`),
  libraryCatalogUrl: (params, format) => {
    const query = new URLSearchParams(params);
    query.delete("cursor");
    query.delete("limit");
    query.set("format", format);
    return signed(`/api/papers/catalog?${query}`);
  },
  getJob: (id) => request("GET", job(id)),
  files: (id) => allPages(`${job(id)}/files`),
  papers: (id) => allPages(`${job(id)}/papers`),
  correctPaper: (id, changes) => request("PATCH", `/api/papers/${encodeURIComponent(id)}`, changes),
  folderJob: (path, recursive, taxonomy) =>
    request("POST", "/api/jobs/folder", { path, recursive, taxonomy }),
  cancel: (id) => request("POST", `${job(id)}/cancel`),
  cancelMany: (ids) => request("POST", "/api/jobs/cancel", { ids }),
  resume: (id, retryFailed) => request("POST", `${job(id)}/resume`, { retry_failed: retryFailed }),
  reclassify: (id, taxonomy) => request("POST", `${job(id)}/reclassify`, { taxonomy }),
  remove: (id) => request("DELETE", job(id)),
  catalogUrl: (id, format) => signed(`${job(id)}/catalog?format=${encodeURIComponent(format)}`),
  eventsUrl: (id) => signed(`${job(id)}/events`),

  /** Upload PDFs as a new job; XMLHttpRequest because fetch cannot report upload progress. */
  uploadJob(files, taxonomy, onProgress) {
    const form = new FormData();
    for (const file of files) form.append("files", file, file.name);
    form.append("taxonomy", typeof taxonomy === "string" ? taxonomy : JSON.stringify(taxonomy));
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/jobs");
      for (const [name, value] of Object.entries(headers({ Accept: "application/json" }))) {
        xhr.setRequestHeader(name, value);
      }
      xhr.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      });
      xhr.addEventListener("load", () => {
        let body = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          body = null;
        }
        if (xhr.status >= 200 && xhr.status < 300) resolve(body);
        else reject(apiError(xhr.status, xhr.statusText, body));
      });
      xhr.addEventListener("error", () => reject(new ApiError("The upload failed: the service could not be reached.")));
      xhr.send(form);
    });
  },
};

export const CATALOG_FORMATS = [
  ["markdown", "Markdown"],
  ["html", "HTML"],
  ["json", "JSON"],
  ["bibtex", "BibTeX"],
  ["csv", "CSV"],
  ["csl-json", "CSL-JSON"],
  ["ris", "RIS"],
];
