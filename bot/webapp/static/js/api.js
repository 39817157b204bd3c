// The Mini App API: every call carries `Authorization: tma <initData>`.

let initData = "";

export function setInitData(value) { initData = value; }
export function hasInitData() { return initData !== ""; }

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.serverMessage = message || "";
  }
}

/** Listeners told about a 401 (the page then shows the sign-in message). */
export const onUnauthorized = [];

async function failure(response) {
  let data = null;
  try { data = await response.json(); } catch { /* not JSON: no such endpoint (yet) */ }
  if (!data || typeof data.error !== "string") {
    const missing = [404, 405, 501].includes(response.status);
    return new ApiError(response.status, missing ? "unavailable" : "error", "");
  }
  return new ApiError(response.status, data.error, data.message);
}

/** GET/POST/PATCH `path` under /app/api/; JSON in, JSON (or a Response for files) out. */
export async function api(path, { method = "GET", body, raw = false } = {}) {
  const headers = { Authorization: `tma ${initData}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(`/app/api/${path}`, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network", "");
  }
  if (!response.ok) {
    const error = await failure(response);
    if (error.status === 401) onUnauthorized.forEach((fn) => fn(error));
    throw error;
  }
  if (raw) return response;
  return response.json();
}

/** Downloads a file from the API: [Blob, file name]. */
export async function download(path, fallbackName) {
  const response = await api(path, { raw: true });
  const disposition = response.headers.get("Content-Disposition") || "";
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  return [await response.blob(), match ? decodeURIComponent(match[1]) : fallbackName];
}
