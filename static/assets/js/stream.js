// Palabre — live stream wrapper: resume, back-off, de-duplication, reset,
// and a long-poll fallback for networks that hold Server-Sent Events back.
//
// The server gives every frame an "id:" (a stream cursor) and replays exactly
// the frames after a cursor passed as ?last_event_id=. On any error, and when
// the server ends the stream, this wrapper closes the EventSource (so the
// browser's own retry, whatever "retry:" the server sent, does not race ours)
// and opens a new one after a full-jitter back-off (backoff.js), resuming
// after the last id it saw. Frames seen twice (a replay that overlaps what
// already arrived) are dropped, so callers get each frame once and in order.
//
// Reset: when the server cannot resume from a cursor (older than what it
// keeps, newer than its newest, or from before Redis lost its data), it sends
// "event: reset" (data {"reason"}, its id the new cursor base) and then the
// whole history again, with new ids. The wrapper then forgets the ids it has
// seen and tells the page (onReset, and on('reset', fn) listeners), which
// must drop what it shows and rebuild from the frames that follow.
//
// The first connection may pass `lastEventId` (e.g. the cursor returned by
// GET queue) so that nothing is lost between a snapshot and the stream.
//
// Long-poll fallback (with opts.pollUrl). Some proxies (corporate, mobile
// operators) hold a streamed response until it ends or fills a buffer: the
// headers come, the frames never do. Every stream opens with an
// "event: hello"; a connection that brings no frame at all within
// `helloTimeout` (4 s), or `silentFailures` (3) connections in a row that
// failed without any frame ever arriving, or no EventSource in the browser,
// and the wrapper polls instead: GET pollUrl?after=<last id seen>, items
// handled in order, the next poll at once with the answer's cursor
// ({"reset": true} is the SSE reset). The same cursor and the same set of
// seen frames carry across the switch, so nothing is missed or doubled.
// After `sseRetryAfter` (5 min) on long-poll it opens an EventSource again
// while still polling, and stops polling only once that stream brought its
// hello; if it does not, it keeps polling and waits twice as long before the
// next try (at most `sseRetryMax`, 1 h).
//
// Tests may shorten the timings: a page whose window.PALABRE_STREAM_TIMINGS
// is an object ({helloTimeout, sseRetryAfter, sseRetryMax}, in ms) uses
// those. Only a script already running in the page can set it, and it only
// changes when the page switches between two working transports.

import { fullJitter } from './backoff.js';

const MAX_REMEMBERED = 5000;
const TIMING_KEYS = ['helloTimeout', 'sseRetryAfter', 'sseRetryMax'];
const POLL_OPEN_AFTER_MS = 1000;

function fnv1a(str) {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

// "<epoch>.<ms>-<seq>" → {epoch, ms, seq}; null for anything else.
function parseCursor(text) {
  const m = /^([a-z0-9]{1,32})\.(\d+)-(\d+)$/.exec(text || '');
  return m ? { epoch: m[1], ms: Number(m[2]), seq: Number(m[3]) } : null;
}

// True when cursor `a` is at or before `b` in the same epoch. Two cursors
// of different epochs (or not cursors) are not comparable: false.
export function cursorAtOrBefore(a, b) {
  const x = parseCursor(a);
  const y = parseCursor(b);
  if (!x || !y || x.epoch !== y.epoch) return false;
  return x.ms < y.ms || (x.ms === y.ms && x.seq <= y.seq);
}

function testTimings() {
  const t = typeof window !== 'undefined' ? window.PALABRE_STREAM_TIMINGS : null;
  if (!t || typeof t !== 'object') return {};
  const out = {};
  for (const k of TIMING_KEYS) if (Number.isFinite(t[k]) && t[k] > 0) out[k] = t[k];
  return out;
}

export class LiveStream {
  /**
   * @param {string} url absolute URL of the SSE endpoint
   * @param {object} opts
   *   types: event types to listen to (e.g. ["message", "retract", "phase"])
   *   onFrame(type, data, id): one call per new frame, data parsed from JSON
   *   onState(state, info): "connecting" | "open" | "reconnecting" ({delay, attempt}) | "stopped";
   *     info.transport is "sse" or "poll"; a failed poll adds info.status and info.code
   *   onReset(info, id): the server restarts the history ({reason}); drop what was shown
   *   lastEventId: resume after this cursor on the first connection
   *   baseDelay, maxDelay, minDelay: back-off in ms (1 s doubling up to 30 s, at least 250 ms)
   *   stableAfter: ms a connection must stay open before the back-off resets (5 s)
   *   pollUrl: absolute URL of the matching long-poll endpoint; without it, SSE only
   *   helloTimeout: ms an EventSource may stay without a frame before polling (4 s)
   *   silentFailures: failed connections in a row, none ever with a frame, before polling (3)
   *   sseRetryAfter, sseRetryMax: first and longest wait on long-poll before trying SSE again (5 min, 1 h)
   */
  constructor(url, opts = {}) {
    const o = { ...opts, ...testTimings() };
    this.url = url;
    this.types = o.types || ['message'];
    this.onFrame = o.onFrame || (() => {});
    this.onState = o.onState || (() => {});
    this.onReset = o.onReset || (() => {});
    this.listeners = new Map(); // name → Set of functions (only "reset" so far)
    this.lastEventId = o.lastEventId || null;
    this.baseDelay = o.baseDelay || 1000;
    this.maxDelay = o.maxDelay || 30000;
    this.minDelay = o.minDelay === undefined ? 250 : o.minDelay;
    this.stableAfter = o.stableAfter || 5000;
    this.pollUrl = o.pollUrl || null;
    this.helloTimeout = o.helloTimeout || 4000;
    this.silentFailuresBeforePoll = o.silentFailures || 3;
    this.sseRetryAfter = o.sseRetryAfter || 5 * 60 * 1000;
    this.sseRetryMax = o.sseRetryMax || 60 * 60 * 1000;
    this.attempt = 0;
    this.es = null;
    this.retryTimer = null;
    this.stableTimer = null;
    this.helloTimer = null;
    this.seen = new Set();
    this.seenOrder = [];
    this.stopped = true;
    this.state = 'stopped';
    this.transport = 'sse';
    this.everHeard = false;   // some EventSource of this wrapper brought a frame
    this.silentFailures = 0;  // failed connections in a row without a frame
    // Long-poll: a generation number, so that an answer that arrives after
    // a switch or stop() is ignored.
    this.pollGeneration = 0;
    this.pollAbort = null;
    this.pollTimer = null;
    this.pollOpenTimer = null;
    this.pollAttempt = 0;
    // Back to SSE from long-poll: the EventSource on trial and its timers.
    this.probe = null;
    this.probeTimer = null;
    this.sseRetryDelay = this.sseRetryAfter;
    this.sseRetryTimer = null;
    this.onOnline = () => {
      if (this.stopped) return;
      if (this.transport === 'poll') {
        if (this.pollTimer) {
          clearTimeout(this.pollTimer);
          this.pollTimer = null;
          this.poll();
        }
      } else if (this.retryTimer) {
        clearTimeout(this.retryTimer);
        this.retryTimer = null;
        this.connect();
      }
    };
  }

  /** Subscribe to "reset"; returns a function that unsubscribes. */
  on(name, fn) {
    if (!this.listeners.has(name)) this.listeners.set(name, new Set());
    this.listeners.get(name).add(fn);
    return () => this.listeners.get(name).delete(fn);
  }

  emit(name, ...args) {
    for (const fn of this.listeners.get(name) || []) {
      try {
        fn(...args);
      } catch (err) {
        console.error(err);
      }
    }
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    window.addEventListener('online', this.onOnline);
    this.transport = 'sse';
    this.sseRetryDelay = this.sseRetryAfter;
    if (this.pollUrl && typeof window.EventSource !== 'function') {
      // Nothing to come back to: poll for good.
      this.startPolling({ retrySse: false });
      return;
    }
    this.connect();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    clearTimeout(this.retryTimer);
    clearTimeout(this.stableTimer);
    this.retryTimer = null;
    this.closeEventSource();
    this.stopPolling();
    this.endProbe();
    clearTimeout(this.sseRetryTimer);
    this.sseRetryTimer = null;
    this.setState('stopped');
  }

  setState(state, info) {
    this.state = state;
    this.stateInfo = { transport: this.transport, ...(info || {}) };
    this.onState(state, this.stateInfo);
  }

  connectUrl() {
    if (!this.lastEventId) return this.url;
    const u = new URL(this.url);
    u.searchParams.set('last_event_id', this.lastEventId);
    return u.href;
  }

  // ---- Server-Sent Events ---------------------------------------------------

  // An EventSource whose frames go through handle()/handleReset() while it
  // is this.es or this.probe. heard(es) runs once, at its first frame
  // (hello or any other).
  openEventSource(heard) {
    const es = new EventSource(this.connectUrl());
    const current = () => this.es === es || this.probe === es;
    let gotOne = false;
    const first = () => {
      if (gotOne) return;
      gotOne = true;
      this.everHeard = true;
      heard(es);
    };
    es.heard = () => gotOne;
    es.addEventListener('hello', () => {
      if (current()) first();
    });
    for (const type of this.types) {
      es.addEventListener(type, (ev) => {
        if (!current()) return;
        first();
        this.handle(type, ev.lastEventId || '', ev.data);
      });
    }
    es.addEventListener('reset', (ev) => {
      if (!current()) return;
      first();
      this.handleReset(ev.data, ev.lastEventId || null);
    });
    return es;
  }

  connect() {
    this.retryTimer = null;
    if (this.stopped) return;
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting', { attempt: this.attempt });
    const es = this.openEventSource(() => {
      clearTimeout(this.helloTimer);
      this.helloTimer = null;
      this.silentFailures = 0;
    });
    this.es = es;
    if (this.pollUrl) {
      clearTimeout(this.helloTimer);
      this.helloTimer = setTimeout(() => {
        this.helloTimer = null;
        // Headers (or nothing) but no frame: something holds the stream.
        if (this.es === es && !es.heard()) this.startPolling({ retrySse: true });
      }, this.helloTimeout);
    }
    es.onopen = () => {
      if (this.es !== es) return;
      this.setState('open');
      clearTimeout(this.stableTimer);
      this.stableTimer = setTimeout(() => {
        this.attempt = 0;
      }, this.stableAfter);
    };
    es.onerror = () => {
      if (this.es !== es) return;
      this.fail(es.heard());
    };
  }

  closeEventSource() {
    clearTimeout(this.helloTimer);
    this.helloTimer = null;
    if (this.es) {
      this.es.close();
      this.es = null;
    }
  }

  fail(heard) {
    this.closeEventSource();
    clearTimeout(this.stableTimer);
    if (this.stopped) return;
    if (!heard) this.silentFailures += 1;
    if (this.pollUrl && !this.everHeard && this.silentFailures >= this.silentFailuresBeforePoll) {
      this.startPolling({ retrySse: true });
      return;
    }
    const delay = fullJitter(this.attempt, { base: this.baseDelay, max: this.maxDelay, floor: this.minDelay });
    this.attempt = Math.min(this.attempt + 1, 16);
    this.setState('reconnecting', { delay, attempt: this.attempt });
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  // ---- Long-poll -----------------------------------------------------------

  startPolling({ retrySse }) {
    clearTimeout(this.retryTimer);
    clearTimeout(this.stableTimer);
    this.retryTimer = null;
    this.closeEventSource();
    this.transport = 'poll';
    this.pollAttempt = 0;
    this.setState('connecting');
    if (retrySse) this.scheduleSseRetry();
    this.poll();
  }

  stopPolling() {
    this.pollGeneration += 1;
    clearTimeout(this.pollOpenTimer);
    clearTimeout(this.pollTimer);
    this.pollTimer = null;
    if (this.pollAbort) {
      this.pollAbort.abort();
      this.pollAbort = null;
    }
  }

  pollRequestUrl() {
    const u = new URL(this.pollUrl);
    // "0": from the start, as a new EventSource gets the whole history.
    u.searchParams.set('after', this.lastEventId || '0');
    return u.href;
  }

  async poll() {
    this.pollTimer = null;
    if (this.stopped || this.transport !== 'poll') return;
    const generation = ++this.pollGeneration;
    const abort = typeof AbortController === 'function' ? new AbortController() : null;
    this.pollAbort = abort;
    const started = Date.now();
    // A poll the server holds until there is news is a working connection:
    // say "open" once it has been out a moment without failing, rather than
    // "connecting" for up to the server's 25 s.
    clearTimeout(this.pollOpenTimer);
    if (this.state !== 'open') {
      this.pollOpenTimer = setTimeout(() => {
        if (generation === this.pollGeneration && !this.stopped && this.state !== 'open') this.setState('open');
      }, POLL_OPEN_AFTER_MS);
    }
    let res;
    let body = null;
    try {
      res = await fetch(this.pollRequestUrl(), {
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { Accept: 'application/json' },
        signal: abort ? abort.signal : undefined,
      });
      const text = await res.text();
      if (text) body = JSON.parse(text);
    } catch (_) {
      // A network error, an aborted poll or a body that is not JSON (a poll
      // ended early by the server: a ban, a logout).
    }
    if (generation !== this.pollGeneration || this.stopped) return;
    this.pollAbort = null;
    clearTimeout(this.pollOpenTimer);
    if (!res || !res.ok || !body || !Array.isArray(body.items)) {
      const error = body && body.error ? body.error : null;
      this.pollFailed(res ? res.status : 0, error ? error.code : (res ? 'bad_response' : 'network'));
      return;
    }
    this.pollAttempt = 0;
    if (this.state !== 'open') this.setState('open');
    this.handleBatch(body);
    if (generation !== this.pollGeneration || this.stopped || this.transport !== 'poll') return;
    // At once, as the server waits for news itself; a guard against a
    // network that answers empty at once every time.
    const quick = body.items.length === 0 && !body.reset && Date.now() - started < 500;
    this.pollTimer = setTimeout(() => this.poll(), quick ? 1000 : 0);
  }

  // A failed poll is handled like a failed SSE connection: back off with
  // full jitter and try again; the page sees "reconnecting" (with the
  // answer's status and error code, e.g. 403 banned, 401 unauthorized).
  pollFailed(status, code) {
    const delay = fullJitter(this.pollAttempt, { base: this.baseDelay, max: this.maxDelay, floor: this.minDelay });
    this.pollAttempt = Math.min(this.pollAttempt + 1, 16);
    this.setState('reconnecting', { delay, attempt: this.pollAttempt, status, code });
    this.pollTimer = setTimeout(() => this.poll(), delay);
  }

  handleBatch(body) {
    if (body.reset) this.handleReset(null, null);
    for (const item of body.items) {
      if (!item || typeof item.type !== 'string') continue;
      if (!this.types.includes(item.type)) continue;
      const id = item.cursor || item.id || '';
      this.handle(item.type, id, JSON.stringify(item.data === undefined ? null : item.data), item.data);
    }
    // Past the items of types this page does not follow too.
    if (typeof body.cursor === 'string' && body.cursor) this.lastEventId = body.cursor;
  }

  // ---- Back to SSE ------------------------------------------------------------

  scheduleSseRetry() {
    clearTimeout(this.sseRetryTimer);
    this.sseRetryTimer = setTimeout(() => this.trySse(), this.sseRetryDelay);
  }

  // Polling goes on until the trial EventSource brings a frame; then it
  // takes over (same cursor, same seen frames: what both bring is dropped
  // the second time).
  trySse() {
    this.sseRetryTimer = null;
    if (this.stopped || this.transport !== 'poll' || this.probe) return;
    if (typeof window.EventSource !== 'function') return;
    const probe = this.openEventSource((es) => {
      if (this.probe !== es) return;
      this.endProbe({ keep: true });
      this.stopPolling();
      this.transport = 'sse';
      this.es = es;
      this.attempt = 0;
      this.silentFailures = 0;
      this.sseRetryDelay = this.sseRetryAfter;
      this.setState('open');
      clearTimeout(this.stableTimer);
      this.stableTimer = setTimeout(() => {
        this.attempt = 0;
      }, this.stableAfter);
      es.onerror = () => {
        if (this.es === es) this.fail(true);
      };
    });
    this.probe = probe;
    const giveUp = () => {
      if (this.probe !== probe) return;
      this.endProbe();
      this.sseRetryDelay = Math.min(this.sseRetryDelay * 2, this.sseRetryMax);
      this.scheduleSseRetry();
    };
    probe.onerror = giveUp;
    this.probeTimer = setTimeout(giveUp, this.helloTimeout);
  }

  endProbe({ keep = false } = {}) {
    clearTimeout(this.probeTimer);
    this.probeTimer = null;
    if (this.probe && !keep) this.probe.close();
    this.probe = null;
  }

  // ---- Frames ------------------------------------------------------------------

  remember(key) {
    this.seen.add(key);
    this.seenOrder.push(key);
    if (this.seenOrder.length > MAX_REMEMBERED) {
      this.seen.delete(this.seenOrder.shift());
    }
  }

  forget() {
    this.seen.clear();
    this.seenOrder = [];
  }

  // data: the reset frame's JSON text (SSE), or null (long-poll, which
  // gives no reason); id: the reset frame's id, or null.
  handleReset(dataText, id) {
    let info = {};
    try {
      info = (dataText && JSON.parse(dataText)) || {};
    } catch (_) {
      // A reset without a readable reason is still a reset.
    }
    // What follows is the whole history under new ids: nothing seen before
    // counts as a repeat any more, and the next resume starts from here.
    this.forget();
    this.lastEventId = id || null;
    try {
      this.onReset(info, this.lastEventId);
    } catch (err) {
      console.error(err);
    }
    this.emit('reset', info, this.lastEventId);
  }

  // One frame from either transport: `text` is its JSON data as received,
  // `parsed` the same already parsed (long-poll).
  handle(type, id, text, parsed) {
    // A frame is identified by its id, type and payload, so that a frame
    // without its own "id:" line (which inherits the previous id) is not
    // mistaken for a repeat.
    const key = `${id}|${type}|${text.length}|${fnv1a(text)}`;
    if (this.seen.has(key)) return;
    // Across a change of transport the same entry may come twice with its
    // data written differently: entries come in cursor order, so one at or
    // before the last cursor handled is one already handled.
    if (id && this.lastEventId && cursorAtOrBefore(id, this.lastEventId)) return;
    this.remember(key);
    if (id) this.lastEventId = id;
    let data = parsed;
    if (data === undefined) {
      try {
        data = JSON.parse(text);
      } catch (_) {
        return;
      }
    }
    try {
      this.onFrame(type, data, id);
    } catch (err) {
      // A rendering bug must not stop the stream.
      console.error(err);
    }
  }
}
