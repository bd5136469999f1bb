// Palabre — fetch wrapper shared by every page.
//
// Where the API lives: each page declares how deep it sits below the mount
// point with <meta name="palabre-root" content="../">; the root is that
// relative URL resolved against the page's own address, so the same files work
// at "/" and under a prefix such as "/palabre/". The API is "<root>api/".
//
// Errors: every non-2xx answer becomes a thrown ApiError carrying the API's
// {"error":{"code","message"}} (or "network" / "bad_response" when there is
// no such body), the HTTP status and, for 429, Retry-After in seconds.
//
// Credentials: same-origin cookies always; an optional Bearer token (the admin
// page may keep an admin API token in sessionStorage); X-CSRF-Token on every
// mutation once a token is known (join, exchange, login and me return one).
//
// Idempotency: a mutation may carry an Idempotency-Key (options.idempotencyKey).
// The server remembers the key for 24 h per actor and route: a retry with the
// same key gets the first answer back (Idempotent-Replayed: true) and creates
// nothing twice; 409 idempotency_in_progress (with Retry-After) while the first
// is still running. So a request whose answer was lost can be sent again
// safely, provided the SAME key goes with it: create the key once per user
// action, never per attempt. idempotent() does that for the consoles.

import { fullJitter } from './backoff.js';

function readRoot() {
  const meta = document.querySelector('meta[name="palabre-root"]');
  const rel = meta ? meta.getAttribute('content') : './';
  return new URL(rel || './', window.location.href);
}

/** Absolute URL of the mount point, ending with "/". */
export const ROOT = readRoot();

/** Absolute URL of the API, ending with "/". */
export const API_BASE = new URL('api/', ROOT);

/**
 * The page's route below the mount point, split on "/":
 * "" → [], "e/demo" → ["e", "demo"], "e/demo/moderate" → ["e", "demo", "moderate"].
 */
export function routeParts() {
  let path = window.location.pathname;
  const rootPath = ROOT.pathname;
  if (path.startsWith(rootPath)) path = path.slice(rootPath.length);
  return path.split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch (_) {
      return p;
    }
  });
}

const EVENT_ID_RE = /^[a-z0-9-]{3,64}$/;

/** The event id of an "e/{id}[/...]" page, or null when the path has none. */
export function eventIdFromPath() {
  const parts = routeParts();
  const i = parts.indexOf('e');
  const id = i >= 0 ? parts[i + 1] : null;
  return id && EVENT_ID_RE.test(id) ? id : null;
}

/** URL of a page below the mount point, e.g. pageUrl(`e/${id}`). */
export function pageUrl(rel) {
  return new URL(rel, ROOT).href;
}

/** URL of an API path, e.g. apiUrl(`events/${id}/stream`). */
export function apiUrl(rel) {
  return new URL(rel, API_BASE).href;
}

export class ApiError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message || code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

let csrfToken = null;
let bearerToken = null;

export function setCsrfToken(token) {
  csrfToken = token || null;
}

export function getCsrfToken() {
  return csrfToken;
}

export function setBearerToken(token) {
  bearerToken = token || null;
}

export function getBearerToken() {
  return bearerToken;
}

function parseRetryAfter(value) {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, Math.ceil(secs));
  const date = Date.parse(value);
  if (Number.isFinite(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000));
  return undefined;
}

/**
 * request('POST', `events/${id}/questions`, {text, lang}) → parsed JSON (null for 204).
 * Throws ApiError.
 */
export async function request(method, path, body, options = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined && body !== null) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const mutation = method !== 'GET' && method !== 'HEAD';
  if (mutation && csrfToken && !options.noCsrf) headers['X-CSRF-Token'] = csrfToken;
  const bearer = options.bearer !== undefined ? options.bearer : bearerToken;
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  if (options.signal) init.signal = options.signal;

  let res;
  try {
    res = await fetch(apiUrl(path), init);
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', err && err.message ? err.message : 'network error');
  }
  const retryAfter = parseRetryAfter(res.headers.get('Retry-After'));
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  let data = null;
  if (type.includes('json')) {
    try {
      data = await res.json();
    } catch (_) {
      data = null;
    }
  }
  if (!res.ok) {
    const e = data && data.error ? data.error : {};
    const error = new ApiError(res.status, e.code || (res.status >= 500 ? 'server_error' : 'bad_response'),
      e.message || res.statusText, retryAfter);
    // The error's other fields, e.g. 409 claimed's `claimed_by`.
    error.details = e;
    throw error;
  }
  return data;
}

export const get = (path, options) => request('GET', path, null, options);
export const post = (path, body, options) => request('POST', path, body === undefined ? {} : body, options);
export const patch = (path, body, options) => request('PATCH', path, body, options);
export const put = (path, body, options) => request('PUT', path, body, options);
export const del = (path, options) => request('DELETE', path, null, options);

/**
 * A fresh Idempotency-Key: 8–128 characters of [A-Za-z0-9_-]. randomUUID()
 * exists only in secure contexts (HTTPS, localhost); elsewhere 16 random
 * bytes in hex.
 */
export function newIdempotencyKey() {
  const c = window.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Whether sending the same request again (with the same Idempotency-Key) may
 * succeed: the network failed, a gateway or the store was unavailable, or the
 * first attempt with this key is still running. Anything else is an answer.
 */
export function isTransient(err) {
  if (!err || err.name !== 'ApiError') return false;
  if (err.code === 'network') return true;
  if (err.status === 502 || err.status === 503 || err.status === 504) return true;
  return err.status === 409 && err.code === 'idempotency_in_progress';
}

/** Delay before automatic retry number `attempt` (0-based) of a failed mutation. */
export function retryDelay(err, attempt, { base = 500, max = 8000 } = {}) {
  const jitter = fullJitter(attempt, { base, max });
  return err && err.retryAfter ? Math.max(err.retryAfter * 1000, jitter) : jitter;
}

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/**
 * One user action that must happen at most once: request() with one
 * Idempotency-Key for all its attempts, retried by itself after transient
 * failures (isTransient) up to `attempts` times in all, with full-jitter
 * back-off. Other errors, and the last transient one, are thrown.
 * options: as request(), plus idempotencyKey (default: a new one),
 * attempts (4), onRetry(err, attempt, delay).
 */
export async function idempotent(method, path, body, options = {}) {
  const { attempts = 4, onRetry, ...rest } = options;
  const opts = { ...rest, idempotencyKey: rest.idempotencyKey || newIdempotencyKey() };
  for (let attempt = 0; ; attempt++) {
    try {
      return await request(method, path, body, opts);
    } catch (err) {
      if (!isTransient(err) || attempt + 1 >= attempts) throw err;
      const delay = retryDelay(err, attempt);
      if (onRetry) onRetry(err, attempt + 1, delay);
      await sleep(delay);
    }
  }
}

/**
 * The key of a form that creates something (an announcement, an answer).
 * Each submission is a new action with a new key, except one that repeats,
 * unchanged, a submission whose outcome is unknown (its last attempt failed
 * transiently): that is the same action, and keeps its key, so that it
 * cannot create the thing twice.
 */
export class FormKey {
  constructor() {
    this.key = null;
    this.body = null;
  }

  /** The key to send with this body. */
  for(body) {
    const text = JSON.stringify(body);
    if (this.key === null || text !== this.body) {
      this.key = newIdempotencyKey();
      this.body = text;
    }
    return this.key;
  }

  /** The submission ended: with a result (err null) or an error. */
  settled(err) {
    if (!err || !isTransient(err)) {
      this.key = null;
      this.body = null;
    }
  }
}

/** "events/<id>/…" with the id encoded. */
export function eventPath(id, rest = '') {
  return `events/${encodeURIComponent(id)}${rest ? `/${rest}` : ''}`;
}
