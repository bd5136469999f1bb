// Palabre — pausing the live thread (WCAG 2.2.2 Pause, Stop, Hide), on the
// visitor page and the embed.
//
// The thread sits in a role="log" region (polite). A toggle button
// (aria-pressed) pauses it: the frames that would change the thread are
// held, in order, new messages are counted next to the button ("3 nouveaux
// messages"), and the region's aria-live is "off" so that a screen reader
// hears nothing while paused. On resume the held frames are applied at
// once but quietly (the thread settles, as after a replay), then one
// sentence says how many messages were added. Nothing is lost: pausing only
// delays what the thread shows.

import { $ } from './dom.js';
import { plural, t } from './i18n.js';

export class ThreadPause {
  /**
   * @param {Thread} thread   thread.js's Thread, which gets the frames
   * @param {object} els      region (role="log"), button (aria-pressed), held (the count)
   * @param {object} opts     announce(text): how to say that the thread resumed
   */
  constructor(thread, { region, button, held }, { announce = () => {} } = {}) {
    this.thread = thread;
    this.region = region;
    this.button = button;
    this.held = held;
    this.announce = announce;
    this.queue = [];
    this.fresh = new Set(); // ids of new messages among the held frames
    this.rebuilding = false; // a reset's replay, applied even while paused
    this.button.setAttribute('aria-pressed', 'false');
    // onclick, not a listener: a page that builds its thread again (visitor.js
    // after a failed archive) leaves one control, the newest.
    this.button.onclick = () => (this.paused ? this.resume() : this.pause());
    this.render();
  }

  get paused() {
    return this.button.getAttribute('aria-pressed') === 'true';
  }

  /** A thread frame (message, retract, author, poll, support): applied now, or held while paused. */
  frame(type, data) {
    // A reset while paused empties the thread: its replay rebuilds it at
    // once (quietly: the thread is busy), and the pause holds what comes
    // after it.
    if (this.rebuilding && this.thread.live) this.rebuilding = false;
    if (!this.paused || this.rebuilding) {
      this.thread.frame(type, data);
      return;
    }
    this.queue.push([type, data]);
    const id = data && typeof data.id === 'string' ? data.id : null;
    if (type === 'message' && id && !this.thread.has(id)) this.fresh.add(id);
    else if (type === 'retract' && id) this.fresh.delete(id);
    this.render();
  }

  /** The stream restarts its history (reset): what was held is replayed anew. */
  reset() {
    this.queue = [];
    this.fresh.clear();
    this.rebuilding = this.paused;
    this.render();
  }

  pause() {
    this.button.setAttribute('aria-pressed', 'true');
    this.region.setAttribute('aria-live', 'off');
    this.render();
  }

  resume() {
    const queue = this.queue;
    const n = this.fresh.size;
    this.queue = [];
    this.fresh.clear();
    this.button.setAttribute('aria-pressed', 'false');
    if (queue.length) this.thread.settle();
    for (const [type, data] of queue) this.thread.frame(type, data);
    this.region.setAttribute('aria-live', 'polite');
    this.render();
    this.announce(n ? plural('thread.resumed', n) : t('thread.resumed_none'));
  }

  render() {
    const paused = this.paused;
    this.held.hidden = !paused;
    this.held.textContent = paused ? `${t('thread.paused')} ${plural('thread.held', this.fresh.size)}` : '';
    this.held.dataset.count = String(this.fresh.size);
  }

  /** After a language change. */
  relabel() {
    this.render();
  }
}

/** The pause control of a page laid out as visitor.html and embed.html. */
export function pauseFor(thread, announce) {
  return new ThreadPause(thread, { region: $('#thread-log'), button: $('#thread-pause'), held: $('#thread-held') },
    { announce });
}
