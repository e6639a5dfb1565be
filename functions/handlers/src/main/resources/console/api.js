// The public /v1 API, same origin; the key lives in sessionStorage (this browser tab's session only).
const KEY = 'personae.apiKey';

export function apiKey() { return sessionStorage.getItem(KEY); }
export function setApiKey(k) { if (k) sessionStorage.setItem(KEY, k); else sessionStorage.removeItem(KEY); }

/** An answer of the API that is not a success, with the reference's error body when it has one. */
export class ApiError extends Error {
  constructor(method, path, status, body, text) {
    const code = body && body.error ? body.error : 'HTTP ' + status;
    const note = body && body.note ? body.note : (text || '').slice(0, 300);
    super(`${method} /v1${path} answered ${status} ${code}${note ? ': ' + note : ''}`);
    this.status = status;
    this.body = body;
    this.code = code;
    this.note = note;
    this.details = body && Array.isArray(body.validationErrors)
      ? body.validationErrors.map(v => `${v.path || ''} ${v.message || ''}`.trim()) : [];
  }
}

export async function api(method, path, body, key = apiKey()) {
  const headers = { Authorization: 'Bearer ' + (key || '') };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch('/v1' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(method, path, 0, { error: 'NETWORK', note: 'the server could not be reached (' + e.message + ')' });
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!res.ok) throw new ApiError(method, path, res.status, json, text);
  return json;
}

export const get = path => api('GET', path);
