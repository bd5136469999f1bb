// Palabre — the published thread, as the public stream describes it.
//
// Questions and announcements are top-level items in arrival order; an answer
// goes under its question (reply_to). An answer whose question is not on the
// page yet is shown at the top level and moved under its question when that
// arrives. `retract` removes the message (and, for a question, its answers);
// `author` re-signs messages whose author erased their participation.
//
// The list element carries aria-live="polite" and aria-relevant="additions"
// (set in the HTML), so a screen reader reads each new message once. While the
// history replays after (re)connecting, aria-busy="true" keeps it quiet.
// reset() empties the thread when the server restarts its history (a
// `reset` frame): the frames that follow rebuild it, quietly too.
//
// Everything is text: message content never goes through innerHTML.

import { h, safeLang } from './dom.js';
import { t, formatTime } from './i18n.js';

const QUIET_AFTER_MS = 700;

export class Thread {
  /**
   * @param {HTMLElement} list   the <ol> (aria-live region)
   * @param {HTMLElement} empty  shown while there is no message
   * @param {object} opts  onMessage(msg) called for every new message;
   *                        onQuiet() when a replay is over (aria-busy back to false)
   */
  constructor(list, empty, opts = {}) {
    this.list = list;
    this.empty = empty;
    this.onMessage = opts.onMessage || (() => {});
    this.onQuiet = opts.onQuiet || (() => {});
    this.items = new Map(); // message id → <li>
    this.busyTimer = null;
    this.updateEmpty();
  }

  /** Mark the history replay as in progress: quiet until frames stop for a moment. */
  settle() {
    this.list.setAttribute('aria-busy', 'true');
    clearTimeout(this.busyTimer);
    this.busyTimer = setTimeout(() => {
      this.list.setAttribute('aria-busy', 'false');
      this.onQuiet();
    }, QUIET_AFTER_MS);
  }

  /** Forget every message: the history is about to be replayed from its start. */
  reset() {
    this.items.clear();
    this.list.replaceChildren();
    this.updateEmpty();
    this.settle();
  }

  frame(type, data) {
    if (!data || typeof data !== 'object') return;
    if (this.list.getAttribute('aria-busy') === 'true') this.settle();
    if (type === 'message') this.add(data);
    else if (type === 'retract') this.remove(data.id);
    else if (type === 'author') this.resign(data.ids, data.author);
  }

  /** A visitor erased their participation: their published messages are signed anew (e.g. "anonyme"). */
  resign(ids, author) {
    if (!Array.isArray(ids) || typeof author !== 'string') return;
    for (const id of ids) {
      const li = this.items.get(id);
      const el = li && li.querySelector(':scope > .msg-meta .msg-author');
      if (el) el.textContent = author;
    }
  }

  get size() {
    return this.items.size;
  }

  has(id) {
    return this.items.has(id);
  }

  add(msg) {
    if (!msg || typeof msg.id !== 'string') return;
    const existing = this.items.get(msg.id);
    if (existing) {
      // Same message again (e.g. an edit re-published): update its text only.
      const text = existing.querySelector(':scope > .msg-text');
      if (text) text.textContent = msg.text || '';
      return;
    }
    const li = this.render(msg);
    this.items.set(msg.id, li);
    if (msg.kind === 'answer' && msg.reply_to && this.items.has(msg.reply_to)) {
      this.answersOf(this.items.get(msg.reply_to)).append(li);
    } else {
      this.list.append(li);
    }
    if (msg.kind === 'question') this.adoptOrphans(msg.id, li);
    this.updateEmpty();
    this.onMessage(msg);
  }

  remove(id) {
    const li = this.items.get(id);
    if (!li) return;
    for (const child of li.querySelectorAll('li[data-id]')) this.items.delete(child.dataset.id);
    this.items.delete(id);
    li.remove();
    this.updateEmpty();
  }

  answersOf(questionLi) {
    let ol = questionLi.querySelector(':scope > .answers');
    if (!ol) {
      ol = h('ol', { class: 'answers', 'data-i18n-attr': 'aria-label:thread.answers', 'aria-label': t('thread.answers') });
      questionLi.append(ol);
    }
    return ol;
  }

  adoptOrphans(questionId, questionLi) {
    for (const li of Array.from(this.list.children)) {
      if (li.dataset.replyTo === questionId) this.answersOf(questionLi).append(li);
    }
  }

  render(msg) {
    const kind = ['question', 'answer', 'announcement'].includes(msg.kind) ? msg.kind : 'question';
    const author = typeof msg.author === 'string' ? msg.author : '';
    const li = h('li', {
      class: `msg msg-${kind} fresh`,
      dataset: { id: msg.id, kind },
    });
    if (msg.reply_to) li.dataset.replyTo = msg.reply_to;

    const meta = h('p', { class: 'msg-meta' });
    if (kind === 'question') {
      meta.append(
        h('span', { class: 'visually-hidden', 'data-i18n': 'thread.question_by', text: t('thread.question_by') }),
        h('bdi', { class: 'msg-author', text: author }),
      );
    } else if (kind === 'answer') {
      meta.append(
        h('span', { class: 'msg-kind', 'data-i18n': 'thread.answer_by', text: t('thread.answer_by') }),
        h('bdi', { class: 'msg-author', text: author }),
      );
    } else {
      meta.append(h('span', { class: 'msg-author', 'data-i18n': 'thread.announcement', text: t('thread.announcement') }));
    }
    if (msg.ts) {
      meta.append(h('time', { datetime: msg.ts, 'data-time': msg.ts, text: formatTime(msg.ts) }));
    }
    li.append(meta);
    li.append(h('p', { class: 'msg-text', dir: 'auto', lang: safeLang(msg.lang), text: msg.text || '' }));
    setTimeout(() => li.classList.remove('fresh'), 1500);
    return li;
  }

  updateEmpty() {
    if (this.empty) this.empty.hidden = this.items.size > 0;
  }

  /** Re-format times after a language change (labels follow data-i18n). */
  relabel() {
    for (const el of this.list.querySelectorAll('time[data-time]')) el.textContent = formatTime(el.dataset.time);
  }
}
