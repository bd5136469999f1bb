// Palabre — EventSource wrapper: resume, back-off, de-duplication, reset.
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

import { fullJitter } from './backoff.js';

const MAX_REMEMBERED = 5000;

function fnv1a(str) {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

export class LiveStream {
  /**
   * @param {string} url absolute URL of the SSE endpoint
   * @param {object} opts
   *   types: event types to listen to (e.g. ["message", "retract", "phase"])
   *   onFrame(type, data, id): one call per new frame, data parsed from JSON
   *   onState(state, info): "connecting" | "open" | "reconnecting" ({delay, attempt}) | "stopped"
   *   onReset(info, id): the server restarts the history ({reason}); drop what was shown
   *   lastEventId: resume after this cursor on the first connection
   *   baseDelay, maxDelay, minDelay: back-off in ms (1 s doubling up to 30 s, at least 250 ms)
   *   stableAfter: ms a connection must stay open before the back-off resets (5 s)
   */
  constructor(url, opts = {}) {
    this.url = url;
    this.types = opts.types || ['message'];
    this.onFrame = opts.onFrame || (() => {});
    this.onState = opts.onState || (() => {});
    this.onReset = opts.onReset || (() => {});
    this.listeners = new Map(); // name → Set of functions (only "reset" so far)
    this.lastEventId = opts.lastEventId || null;
    this.baseDelay = opts.baseDelay || 1000;
    this.maxDelay = opts.maxDelay || 30000;
    this.minDelay = opts.minDelay === undefined ? 250 : opts.minDelay;
    this.stableAfter = opts.stableAfter || 5000;
    this.attempt = 0;
    this.es = null;
    this.retryTimer = null;
    this.stableTimer = null;
    this.seen = new Set();
    this.seenOrder = [];
    this.stopped = true;
    this.state = 'stopped';
    this.onOnline = () => {
      if (!this.stopped && this.retryTimer) {
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
    this.connect();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    clearTimeout(this.retryTimer);
    clearTimeout(this.stableTimer);
    this.retryTimer = null;
    if (this.es) {
      this.es.close();
      this.es = null;
    }
    this.setState('stopped');
  }

  setState(state, info) {
    this.state = state;
    this.onState(state, info || {});
  }

  connectUrl() {
    if (!this.lastEventId) return this.url;
    const u = new URL(this.url);
    u.searchParams.set('last_event_id', this.lastEventId);
    return u.href;
  }

  connect() {
    this.retryTimer = null;
    if (this.stopped) return;
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting', { attempt: this.attempt });
    const es = new EventSource(this.connectUrl());
    this.es = es;
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
      this.fail();
    };
    for (const type of this.types) {
      es.addEventListener(type, (ev) => {
        if (this.es === es) this.handle(type, ev);
      });
    }
    es.addEventListener('reset', (ev) => {
      if (this.es === es) this.handleReset(ev);
    });
  }

  fail() {
    if (this.es) {
      this.es.close();
      this.es = null;
    }
    clearTimeout(this.stableTimer);
    if (this.stopped) return;
    const delay = fullJitter(this.attempt, { base: this.baseDelay, max: this.maxDelay, floor: this.minDelay });
    this.attempt = Math.min(this.attempt + 1, 16);
    this.setState('reconnecting', { delay, attempt: this.attempt });
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

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

  handleReset(ev) {
    let info = {};
    try {
      info = JSON.parse(ev.data) || {};
    } catch (_) {
      // A reset without a readable reason is still a reset.
    }
    // What follows is the whole history under new ids: nothing seen before
    // counts as a repeat any more, and the next resume starts from here.
    this.forget();
    this.lastEventId = ev.lastEventId || null;
    try {
      this.onReset(info, this.lastEventId);
    } catch (err) {
      console.error(err);
    }
    this.emit('reset', info, this.lastEventId);
  }

  handle(type, ev) {
    const id = ev.lastEventId || '';
    // A frame is identified by its id, type and payload, so that a frame
    // without its own "id:" line (which inherits the previous id) is not
    // mistaken for a repeat.
    const key = `${id}|${type}|${ev.data.length}|${fnv1a(ev.data)}`;
    if (this.seen.has(key)) return;
    this.remember(key);
    if (id) this.lastEventId = id;
    let data;
    try {
      data = JSON.parse(ev.data);
    } catch (_) {
      return;
    }
    try {
      this.onFrame(type, data, id);
    } catch (err) {
      // A rendering bug must not stop the stream.
      console.error(err);
    }
  }
}
