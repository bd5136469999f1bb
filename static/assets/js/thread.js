// Palabre — the published thread, as the public stream describes it.
//
// Questions and announcements are top-level items in arrival order; an answer
// goes under its question (reply_to). An answer whose question is not on the
// page yet is shown at the top level and moved under its question when that
// arrives. `retract` removes the message (and, for a question, its answers);
// `author` re-signs messages whose author erased their participation.
// A question a moderator edited carries a discreet mark; one that merged
// duplicates is signed with every author credited ("Camille, Denis").
//
// With opts.audience (audience.js, the visitor page), the thread also shows
// the audience's signals: each question waiting for an answer gets its
// support bar, `support` frames update its count, and `poll` frames create a
// poll card where the poll was first opened and update it afterwards.
//
// The list sits in a role="log" region with aria-live="polite" and
// aria-relevant="additions" (set in the HTML; opts.region, else the list
// itself carries them), so a screen reader reads each new message once.
// While the history replays after (re)connecting, aria-busy="true" (on the
// list and the region) keeps it quiet. thread_pause.js lets visitors pause it.
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
   *                        onQuiet() when a replay is over (aria-busy back to false);
   *                        audience: an Audience (audience.js) for supports and polls;
   *                        region: the live region around the list, if not the list
   */
  constructor(list, empty, opts = {}) {
    this.list = list;
    this.empty = empty;
    this.onMessage = opts.onMessage || (() => {});
    this.onQuiet = opts.onQuiet || (() => {});
    this.audience = opts.audience || null;
    this.region = opts.region || null;
    this.items = new Map(); // message or poll id → <li>
    this.busyTimer = null;
    this.updateEmpty();
  }

  /** Mark the history replay as in progress: quiet until frames stop for a moment. */
  settle() {
    this.setBusy('true');
    clearTimeout(this.busyTimer);
    this.busyTimer = setTimeout(() => {
      this.setBusy('false');
      this.onQuiet();
    }, QUIET_AFTER_MS);
  }

  setBusy(value) {
    this.list.setAttribute('aria-busy', value);
    if (this.region) this.region.setAttribute('aria-busy', value);
  }

  /** Forget every message: the history is about to be replayed from its start. */
  reset() {
    this.items.clear();
    if (this.audience) this.audience.reset();
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
    else if (type === 'poll') this.poll(data);
    else if (type === 'support') this.support(data);
  }

  /** True once the history replay is over: what arrives now is news. */
  get live() {
    return this.list.getAttribute('aria-busy') !== 'true';
  }

  /** A poll opened, its results so far, or closed: one card, where it was first opened. */
  poll(data) {
    if (!this.audience || typeof data.id !== 'string') return;
    const existing = this.items.get(data.id);
    if (existing) {
      this.audience.updatePoll(existing, data, this.live);
      return;
    }
    const li = this.audience.pollItem(data, this.live);
    this.items.set(data.id, li);
    this.list.append(li);
    this.updateEmpty();
  }

  /** How many visitors support a published question. */
  support(data) {
    if (!this.audience || typeof data.id !== 'string') return;
    this.audience.supportCount(data.id, data.supports, this.items.get(data.id) || null);
  }

  /** The text of a message on the page, or null. */
  messageText(id) {
    const li = this.items.get(id);
    const el = li && li.querySelector(':scope > .msg-text');
    return el ? el.textContent : null;
  }

  /** A visitor erased their participation: their published messages are signed anew (e.g. "anonyme"). */
  resign(ids, author) {
    if (!Array.isArray(ids) || typeof author !== 'string') return;
    for (const id of ids) {
      const li = this.items.get(id);
      const el = li && li.querySelector(':scope > .msg-meta .msg-author');
      if (!el) continue;
      // A question that merged duplicates keeps its other authors: only its
      // own author's name (the first credited) is replaced.
      const names = li.dataset.authors ? JSON.parse(li.dataset.authors) : null;
      if (Array.isArray(names) && names.length > 1) {
        names[0] = author;
        li.dataset.authors = JSON.stringify(names);
        el.textContent = names.join(', ');
      } else {
        el.textContent = author;
      }
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
      // Same message again (e.g. an edit re-published): update its text,
      // its authors and its "edited" mark.
      const text = existing.querySelector(':scope > .msg-text');
      if (text) text.textContent = msg.text || '';
      const author = existing.querySelector(':scope > .msg-meta .msg-author');
      if (author && existing.dataset.kind !== 'announcement') author.textContent = authorsOf(msg);
      const names = creditedNames(msg);
      if (names.length > 1) existing.dataset.authors = JSON.stringify(names);
      const meta = existing.querySelector(':scope > .msg-meta');
      if (meta && msg.edited && !meta.querySelector('.msg-edited')) meta.append(editedMark());
      return;
    }
    const li = this.render(msg);
    this.items.set(msg.id, li);
    if (msg.kind === 'answer' && msg.reply_to && this.items.has(msg.reply_to)) {
      const question = this.items.get(msg.reply_to);
      this.answersOf(question).append(li);
      if (this.audience) this.audience.answered(question);
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
    let adopted = false;
    for (const li of Array.from(this.list.children)) {
      if (li.dataset.replyTo === questionId) {
        this.answersOf(questionLi).append(li);
        adopted = true;
      }
    }
    if (adopted && this.audience) this.audience.answered(questionLi);
  }

  render(msg) {
    const kind = ['question', 'answer', 'announcement'].includes(msg.kind) ? msg.kind : 'question';
    const author = typeof msg.author === 'string' ? msg.author : '';
    const li = h('li', {
      class: `msg msg-${kind} fresh`,
      id: SAFE_ID_RE.test(msg.id) ? `msg-${msg.id}` : null,
      dataset: { id: msg.id, kind },
    });
    if (msg.reply_to) li.dataset.replyTo = msg.reply_to;
    const names = creditedNames(msg);
    if (kind === 'question' && names.length > 1) li.dataset.authors = JSON.stringify(names);

    const meta = h('p', { class: 'msg-meta' });
    if (kind === 'question') {
      meta.append(
        h('span', { class: 'visually-hidden', 'data-i18n': 'thread.question_by', text: t('thread.question_by') }),
        h('bdi', { class: 'msg-author', text: authorsOf(msg) }),
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
    if (kind === 'question' && msg.edited === true) meta.append(editedMark());
    li.append(meta);
    li.append(h('p', { class: 'msg-text', dir: 'auto', lang: safeLang(msg.lang), text: msg.text || '' }));
    if (kind === 'question' && this.audience) li.append(this.audience.questionBar(msg));
    setTimeout(() => li.classList.remove('fresh'), 1500);
    return li;
  }

  updateEmpty() {
    if (this.empty) this.empty.hidden = this.items.size > 0;
  }

  /** Re-format times after a language change (labels follow data-i18n). */
  relabel() {
    for (const el of this.list.querySelectorAll('time[data-time]')) el.textContent = formatTime(el.dataset.time);
    if (this.audience) this.audience.relabel();
  }
}

// Ids go into element ids (links from "my questions" to the thread).
const SAFE_ID_RE = /^[A-Za-z0-9_-]{1,80}$/;

// Every author credited with a question that merged duplicates (its own
// author first), or [] for a question of one author.
function creditedNames(msg) {
  return Array.isArray(msg.authors) ? msg.authors.filter((a) => typeof a === 'string' && a) : [];
}

/** A question's signature: its author, or every author credited when duplicates were merged into it. */
function authorsOf(msg) {
  const names = creditedNames(msg);
  if (names.length > 1) return names.join(', ');
  return typeof msg.author === 'string' ? msg.author : '';
}

function editedMark() {
  return h('span', { class: 'msg-edited', 'data-i18n': 'thread.edited', text: t('thread.edited') });
}
