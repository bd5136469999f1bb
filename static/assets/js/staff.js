// Palabre — staff session for the moderator and guest consoles.
//
// An invite URL carries its token in the fragment (#t=<token>), which the
// browser never sends to a server. The page reads it, removes it from the
// address bar at once (history.replaceState, so it does not stay in the
// history or in a screenshot), and exchanges it by POST for an HttpOnly staff
// cookie. Without a token, GET auth/me tells whether a session already exists.

import * as api from './api.js';
import { fullJitter } from './backoff.js';
import { t } from './i18n.js';

function takeFragmentToken() {
  const hash = window.location.hash.replace(/^#/, '');
  if (!hash) return null;
  const params = new URLSearchParams(hash);
  const token = params.get('t');
  if (token !== null) {
    params.delete('t');
    const rest = params.toString();
    window.history.replaceState(window.history.state, '',
      window.location.pathname + window.location.search + (rest ? `#${rest}` : ''));
  }
  return token || null;
}

export class SessionError extends Error {
  /** reason: "no_session" | "invalid_token" | "wrong_event" | "wrong_role" | "network" */
  constructor(reason, cause) {
    super(reason);
    this.reason = reason;
    this.cause = cause;
  }
}

let pendingToken = null;

/**
 * Open (or find) the staff session for this event.
 * @param {string} eventId
 * @param {string[]} roles accepted roles, e.g. ["moderator", "admin"]
 * @returns {Promise<{role, event_id, login, csrf_token}>}
 */
export async function openSession(eventId, roles) {
  const token = takeFragmentToken() || pendingToken;
  let session = null;
  if (token) {
    pendingToken = token;
    try {
      session = await api.post('auth/exchange', { token }, { noCsrf: true });
      pendingToken = null;
    } catch (err) {
      if (err.code === 'network' || err.status >= 500) throw new SessionError('network', err);
      pendingToken = null;
      throw new SessionError('invalid_token', err);
    }
  } else {
    try {
      session = await api.get('auth/me');
    } catch (err) {
      if (err.status === 401) throw new SessionError('no_session', err);
      throw new SessionError('network', err);
    }
  }
  api.setCsrfToken(session.csrf_token);
  if (session.role !== 'admin' && session.event_id && session.event_id !== eventId) {
    throw new SessionError('wrong_event');
  }
  if (!roles.includes(session.role)) throw new SessionError('wrong_role');
  return session;
}

export async function closeSession() {
  try {
    await api.post('auth/logout', {});
  } catch (_) {
    // Already gone: nothing to do.
  }
  api.setCsrfToken(null);
}

// The sentence a console shows for an API error. `conflict` names the
// console's own wording for a question whose state changed meanwhile.
export function staffErrorText(err, { conflict, maxChars }) {
  if (!err) return t('error.unknown');
  switch (err.code) {
    case 'network': return t('error.network');
    case 'conflict': return t(conflict);
    case 'not_found': return t('mod.error_not_found');
    case 'forbidden': return t('error.forbidden');
    case 'unauthorized': return t('error.session_expired');
    case 'csrf_failed': return t('error.csrf_failed');
    case 'text_empty': return t('error.text_empty');
    case 'text_too_long': return t('error.text_too_long', { n: maxChars });
    case 'store_unavailable': return t('error.unavailable');
    default: return err.status >= 500 ? t('error.server') : (err.message || t('error.unknown'));
  }
}

// After a staff stream reset, a console forgets what it had and takes a
// fresh snapshot (GET queue or guest-queue), retrying with full-jitter
// back-off until it gets one. A newer reset supersedes an older one still
// retrying. Returns the function to call on each reset.
//   forget(): clear the console's state (called at once)
//   load(): fetch the snapshot (may throw)
//   apply(snapshot): draw it
//   onFirstError(err): the first failure of a reload (the console announces it)
export function snapshotReloader({ forget, load, apply, onFirstError }) {
  let generation = 0;
  return async function reload() {
    const mine = ++generation;
    forget();
    for (let attempt = 0, reported = false; mine === generation; attempt++) {
      try {
        const snapshot = await load();
        if (mine === generation) apply(snapshot);
        return;
      } catch (err) {
        if (mine !== generation) return;
        if (!reported) {
          reported = true;
          onFirstError(err);
        }
        await new Promise((resolve) => { setTimeout(resolve, fullJitter(attempt, { base: 1000, max: 30000 })); });
      }
    }
  };
}
