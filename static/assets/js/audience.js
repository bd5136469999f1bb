// Palabre — the audience's signals on the visitor page: supports (+1) of
// published questions and live polls (docs/API.md "Audience: supports and
// polls"). The thread (thread.js) places what this module draws: a support
// bar under each question, a poll card where the poll was first opened.
//
// Supports. A question that waits for an answer offers "I support this
// question" to a visitor who joined; the count comes from `support` frames
// (at most one a second per question) and from the POST's answer. The server
// does not say which questions this visitor supported, so the page keeps
// their ids (localStorage, per debate); a repeat is harmless anyway (200, no
// change). Once supported, the button stays pressed (aria-pressed="true") and
// does nothing more. A question that gets an answer keeps its count as text
// and offers no button.
//
// Polls. A card per poll: while it is open, a visitor who joined and has not
// voted gets a fieldset of radios (one choice) or checkboxes (several) and a
// Vote button; afterwards, and for everybody else, the results: each option
// with its count and percentage in words and as a bar, and the number of
// voters. Closed, the card says so and keeps the final result. Which polls
// this visitor voted on comes from GET my-questions (`polls_voted`) and from
// the vote's answer (409 already_voted counts as voted).
//
// Screen readers: the support bars and poll cards are aria-live="off" inside
// the thread's polite live region, so that counts moving every second are not
// read out; a poll opening or closing is announced once, politely (#status).
// Every change is drawn by updating text in place; a card is rebuilt only
// when what it offers changes (vote → results → closed), and focus then goes
// to what replaced the control that had it.
//
// Everything from the server is inserted as text (dom.js h()).

import * as api from './api.js';
import { h, announce, focusElement, safeLang } from './dom.js';
import * as i18n from './i18n.js';
import { t, formatTime } from './i18n.js';

const SAFE_ID_RE = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_REMEMBERED_SUPPORTS = 500;

/** The plural form of a counted string (i18n.plural, kept here for the pages that import it from audience.js). */
export const plural = i18n.plural;

function percent(part, whole) {
  const x = whole > 0 ? part / whole : 0;
  try {
    return new Intl.NumberFormat(i18n.lang(), { style: 'percent', maximumFractionDigits: 0 }).format(x);
  } catch (_) {
    return `${Math.round(x * 100)} %`;
  }
}

// Sets an element's text by changing its text node's data when it has one:
// no node is added, so nothing counts as an addition for a live region.
function setText(el, text) {
  if (!el) return;
  const s = String(text);
  if (el.childNodes.length === 1 && el.firstChild.nodeType === Node.TEXT_NODE) {
    if (el.firstChild.data !== s) el.firstChild.data = s;
  } else {
    el.textContent = s;
  }
}

function domId(prefix, id) {
  return SAFE_ID_RE.test(id) ? `${prefix}-${id}` : null;
}

function count(n) {
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

export class Audience {
  /**
   * @param {object} opts
   *   eventId
   *   canAct(): whether the visitor may support and vote (joined, not banned)
   *   joined(): whether the visitor joined (else: "join to vote")
   *   contentLang(): the language tag of the debate's texts (polls carry none)
   *   load(what, fallback) / save(what, value): the page's per-debate storage
   *   errorText(err): a sentence for an ApiError
   *   onNotJoined(), onBanned(): the server says the visitor must join again, or is banned
   */
  constructor(opts) {
    this.eventId = opts.eventId;
    this.canAct = opts.canAct || (() => false);
    this.joined = opts.joined || (() => false);
    this.contentLang = opts.contentLang || (() => null);
    this.load = opts.load || ((what, fallback) => fallback);
    this.save = opts.save || (() => {});
    this.errorText = opts.errorText || ((err) => (err && err.message) || t('error.unknown'));
    this.onNotJoined = opts.onNotJoined || (() => {});
    this.onBanned = opts.onBanned || (() => {});
    const remembered = this.load('supported', []);
    this.supported = new Set(Array.isArray(remembered) ? remembered.filter((x) => typeof x === 'string') : []);
    this.voted = new Set();
    this.counts = new Map(); // question id → supports
    this.bars = new Map(); // question id → its support bar
    this.polls = new Map(); // poll id → {data, li}
    this.busy = new Set(); // question or poll ids with a request on its way
    this.acting = null; // canAct() when the controls were last drawn
  }

  // ---- Thread hooks ----------------------------------------------------------

  /** The history is replayed from its start: forget what it drew (not what the visitor did). */
  reset() {
    this.counts.clear();
    this.bars.clear();
    this.polls.clear();
  }

  /** Re-draw every control after a language change. */
  relabel() {
    for (const [qid, bar] of this.bars) this.drawBar(bar, qid);
    for (const [, poll] of this.polls) this.drawPoll(poll, { rebuild: true });
  }

  /** The visitor joined, left or was banned: offer (or stop offering) the controls. */
  refresh() {
    const acting = Boolean(this.canAct());
    if (acting === this.acting) return;
    this.acting = acting;
    for (const [qid, bar] of this.bars) this.drawBar(bar, qid);
    for (const [, poll] of this.polls) this.drawPoll(poll, {});
  }

  /** The polls this visitor voted on (GET my-questions). */
  setVoted(ids) {
    if (!Array.isArray(ids)) return;
    let changed = false;
    for (const id of ids) {
      if (typeof id === 'string' && !this.voted.has(id)) {
        this.voted.add(id);
        changed = true;
      }
    }
    if (!changed) return;
    for (const [pid, poll] of this.polls) if (this.voted.has(pid)) this.drawPoll(poll, {});
  }

  /** The visitor erased their participation: forget what they did. */
  forget() {
    this.supported.clear();
    this.voted.clear();
    this.save('supported', null);
    this.acting = null;
    this.refresh();
  }

  // ---- Supports ----------------------------------------------------------------

  /** The support bar of a new question (its count and, while it waits for an answer, the button). */
  questionBar(msg) {
    const bar = h('div', { class: 'support', 'aria-live': 'off', dataset: { question: msg.id } });
    this.bars.set(msg.id, bar);
    this.drawBar(bar, msg.id);
    return bar;
  }

  /** A question got its (first) answer: it no longer takes supports. */
  answered(questionLi) {
    const bar = questionLi.querySelector(':scope > .support');
    if (!bar || bar.dataset.answered === 'true') return;
    bar.dataset.answered = 'true';
    this.drawBar(bar, questionLi.dataset.id);
  }

  /** A `support` frame, or the POST's answer. */
  supportCount(qid, supports, li) {
    // Supports only grow (each visitor once): a frame that left before the
    // visitor's own POST was answered does not take the count back.
    const n = Math.max(count(supports), this.counts.get(qid) || 0);
    this.counts.set(qid, n);
    const bar = (li && li.querySelector(':scope > .support')) || this.bars.get(qid);
    if (!bar) return;
    this.drawBar(bar, qid);
  }

  // Draws a question's support bar: the button (while the visitor may act
  // and the question waits for an answer) and the count. Updated in place
  // when the button stays, so that focus and screen readers stay on it.
  drawBar(bar, qid) {
    const n = this.counts.get(qid) || 0;
    const offer = bar.dataset.answered !== 'true' && this.canAct();
    const supported = this.supported.has(qid);
    let button = bar.querySelector('.support-button');
    let countEl = bar.querySelector('.support-count');
    if (Boolean(button) !== offer || !countEl) {
      const focused = bar.contains(document.activeElement);
      const error = bar.querySelector('.support-error');
      const countId = domId('support-count', qid);
      countEl = h('span', { class: 'support-count', id: countId });
      button = offer ? h('button', {
        type: 'button',
        class: 'support-button',
        'aria-describedby': countId,
        on: { click: () => this.support(qid, bar) },
      }, h('span', { class: 'support-icon', 'aria-hidden': 'true' }), ' ',
      h('span', { 'data-i18n': 'audience.support', text: t('audience.support') })) : null;
      bar.replaceChildren(...[button, countEl, error].filter(Boolean));
      if (focused) focusElement(button || bar.querySelector('.support-error') || countEl);
    }
    if (button) {
      button.setAttribute('aria-pressed', supported ? 'true' : 'false');
      if (supported || this.busy.has(qid)) button.setAttribute('aria-disabled', 'true');
      else button.removeAttribute('aria-disabled');
      setText(button.querySelector('.support-icon'), supported ? '✓' : '+1');
      setText(button.querySelector('[data-i18n]'), t('audience.support'));
    }
    setText(countEl, plural('audience.supports', n));
  }

  async support(qid, bar) {
    if (this.supported.has(qid) || this.busy.has(qid) || !this.canAct()) return;
    this.busy.add(qid);
    const button = bar.querySelector('.support-button');
    if (button) button.setAttribute('aria-disabled', 'true');
    this.showSupportError(bar, '');
    try {
      const res = await api.idempotent('POST', api.eventPath(this.eventId, `questions/${encodeURIComponent(qid)}/support`), {}, { attempts: 3 });
      this.remember(qid);
      this.busy.delete(qid);
      if (res && Number.isFinite(res.supports)) this.counts.set(qid, Math.max(count(res.supports), this.counts.get(qid) || 0));
      this.drawBar(bar, qid);
      announce(t('audience.supported'), 'ok');
    } catch (err) {
      this.busy.delete(qid);
      // Answered or withdrawn meanwhile: stop offering the button.
      if (err.code === 'conflict' || err.code === 'not_found') bar.dataset.answered = 'true';
      const message = this.failure(err, 'audience.support_conflict');
      this.drawBar(bar, qid);
      this.showSupportError(bar, message);
    }
  }

  remember(qid) {
    this.supported.add(qid);
    const list = Array.from(this.supported).slice(-MAX_REMEMBERED_SUPPORTS);
    this.save('supported', list);
  }

  showSupportError(bar, message) {
    let el = bar.querySelector('.support-error');
    if (!message) {
      if (el) el.remove();
      return;
    }
    if (!el) {
      el = h('p', { class: 'support-error notice error', role: 'alert' });
      bar.append(el);
    }
    el.textContent = message;
  }

  // The sentence for a refused support or vote, and what the page must learn from it.
  failure(err, conflictKey) {
    if (!err) return t('error.unknown');
    if (err.code === 'banned') {
      this.onBanned();
      return t('audience.banned');
    }
    if (err.code === 'not_joined') {
      this.onNotJoined();
      return t('audience.not_joined');
    }
    // The question or poll changed (answered, withdrawn, closed) or is gone.
    if (err.code === 'conflict' || err.code === 'not_found') return t(conflictKey);
    return this.errorText(err);
  }

  // ---- Polls ---------------------------------------------------------------------

  /** The card of a poll seen for the first time. */
  pollItem(data, live) {
    const li = h('li', {
      class: 'msg msg-poll',
      id: domId('poll', data.id),
      'aria-live': 'off',
      dataset: { id: data.id, kind: 'poll' },
    });
    const poll = { data, li, mode: null };
    this.polls.set(data.id, poll);
    this.drawPoll(poll, {});
    if (live) {
      if (data.state === 'closed') announce(t('audience.poll_ended', { question: data.question || '' }));
      else announce(t('audience.poll_opened', { question: data.question || '' }));
    }
    return li;
  }

  /** A later frame of a poll already on the page. */
  updatePoll(li, data, live) {
    let poll = this.polls.get(data.id);
    if (!poll) {
      poll = { data, li, mode: null };
      this.polls.set(data.id, poll);
    }
    const wasOpen = poll.data.state !== 'closed';
    poll.data = data;
    this.drawPoll(poll, {});
    if (live && wasOpen && data.state === 'closed') announce(t('audience.poll_ended', { question: data.question || '' }));
  }

  modeOf(poll) {
    if (poll.data.state === 'closed') return 'closed';
    if (this.canAct() && !this.voted.has(poll.data.id)) return 'vote';
    return 'results';
  }

  // Draws a poll's card: the header, then what it offers now. Rebuilt only
  // when that changes (or on a language change); else the results are
  // updated in place.
  drawPoll(poll, { rebuild = false }) {
    const { data, li } = poll;
    const mode = this.modeOf(poll);
    li.dataset.state = data.state === 'closed' ? 'closed' : 'open';
    li.dataset.mode = mode;
    if (!rebuild && mode === poll.mode) {
      if (mode !== 'vote') this.updateResults(li, data);
      return;
    }
    const hadFocus = li.contains(document.activeElement);
    // A vote being chosen survives a redraw in the same mode (language change).
    const checked = mode === 'vote' && poll.mode === 'vote'
      ? Array.from(li.querySelectorAll('input:checked'), (i) => i.value) : [];
    poll.mode = mode;
    const lang = safeLang(this.contentLang());
    const meta = h('p', { class: 'msg-meta' },
      h('span', { class: 'msg-kind', 'data-i18n': 'thread.poll', text: t('thread.poll') }),
      data.opened_at ? h('time', { datetime: data.opened_at, 'data-time': data.opened_at, text: formatTime(data.opened_at) }) : null,
      mode === 'closed' ? h('span', { class: 'badge', dataset: { status: 'closed' }, 'data-i18n': 'audience.poll_closed', text: t('audience.poll_closed') }) : null);
    const body = mode === 'vote' ? this.voteForm(poll, lang) : this.resultsBlock(poll, lang, mode);
    li.replaceChildren(meta, body);
    for (const value of checked) {
      const input = li.querySelector(`input[value="${CSS.escape(value)}"]`);
      if (input) input.checked = true;
    }
    if (hadFocus) {
      const target = li.querySelector('.poll-form input:checked, .poll-form input, .poll-status');
      focusElement(target || li);
    }
  }

  voteForm(poll, lang) {
    const { data } = poll;
    const pid = data.id;
    const base = domId('poll', pid) || 'poll-x';
    const multiple = data.multiple === true;
    const hintId = `${base}-hint`;
    const errorId = `${base}-error`;
    const options = Array.isArray(data.options) ? data.options : [];
    const choices = options.map((text, i) => {
      const inputId = `${base}-opt-${i}`;
      return h('div', { class: 'poll-choice' },
        h('input', { type: multiple ? 'checkbox' : 'radio', id: inputId, name: `${base}-choice`, value: String(i) }),
        h('label', { for: inputId, dir: 'auto', lang, text: String(text) }));
    });
    const error = h('p', { id: errorId, class: 'notice error', role: 'alert' });
    const submit = h('button', { type: 'submit', class: 'primary poll-vote', 'data-i18n': 'audience.poll_vote', text: t('audience.poll_vote') });
    const fieldset = h('fieldset', { 'aria-describedby': multiple ? `${hintId} ${errorId}` : errorId },
      h('legend', { class: 'poll-question', dir: 'auto', lang, text: data.question || '' }),
      multiple ? h('p', { id: hintId, class: 'hint', 'data-i18n': 'audience.poll_multiple', text: t('audience.poll_multiple') }) : null,
      ...choices);
    const form = h('form', { class: 'poll-form', novalidate: true }, fieldset, error, h('div', { class: 'actions' }, submit));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.vote(poll, form);
    });
    return form;
  }

  resultsBlock(poll, lang, mode) {
    const { data } = poll;
    const base = domId('poll', data.id) || 'poll-x';
    const questionId = `${base}-question`;
    const options = Array.isArray(data.options) ? data.options : [];
    const rows = options.map((text, i) => h('li', { class: 'poll-result', dataset: { option: String(i) } },
      h('span', { class: 'poll-option', dir: 'auto', lang, text: String(text) }), ' ',
      h('span', { class: 'poll-figure', text: '' }),
      h('span', { class: 'poll-bar', 'aria-hidden': 'true' }, h('span', { class: 'poll-fill' }))));
    let status = null;
    if (mode === 'closed') {
      status = h('p', { class: 'poll-status poll-final', tabindex: '-1', 'data-i18n': 'audience.poll_final_note', text: t('audience.poll_final_note') });
    } else if (this.voted.has(data.id)) {
      status = h('p', { class: 'poll-status notice ok', tabindex: '-1', 'data-i18n': 'audience.poll_voted', text: t('audience.poll_voted') });
    } else if (!this.joined()) {
      status = h('p', { class: 'poll-status hint', tabindex: '-1', 'data-i18n': 'audience.poll_join', text: t('audience.poll_join') });
    } else {
      status = h('p', { class: 'poll-status hint', tabindex: '-1', 'data-i18n': 'audience.banned', text: t('audience.banned') });
    }
    const block = h('div', { class: 'poll-results-block' },
      h('p', { class: 'poll-question', id: questionId, dir: 'auto', lang, text: data.question || '' }),
      status,
      h('p', { class: 'poll-heading', 'data-i18n': mode === 'closed' ? 'audience.poll_final' : 'audience.poll_results',
        text: t(mode === 'closed' ? 'audience.poll_final' : 'audience.poll_results') }),
      h('ul', { class: 'poll-results', 'aria-labelledby': questionId }, ...rows),
      h('p', { class: 'poll-total', text: '' }));
    this.updateResults(block, data);
    return block;
  }

  // Percentages are of the voters: with several answers allowed, they add
  // up to more than 100 %.
  updateResults(root, data) {
    const results = Array.isArray(data.results) ? data.results : [];
    const voters = count(data.votes);
    for (const row of root.querySelectorAll('.poll-result')) {
      const n = count(results[Number(row.dataset.option)]);
      setText(row.querySelector('.poll-figure'),
        t('audience.poll_figure', { votes: plural('audience.poll_votes', n), pct: percent(n, voters) }));
      const fill = row.querySelector('.poll-fill');
      // CSSOM, which the Content-Security-Policy (style-src 'self') allows,
      // unlike a style attribute.
      if (fill) fill.style.width = `${voters > 0 ? Math.min(100, Math.round((n * 1000) / voters) / 10) : 0}%`;
    }
    setText(root.querySelector('.poll-total'), plural('audience.poll_total', voters));
  }

  async vote(poll, form) {
    const pid = poll.data.id;
    if (this.busy.has(pid)) return;
    const error = form.querySelector('.notice.error');
    const chosen = Array.from(form.querySelectorAll('input:checked'), (i) => Number(i.value));
    if (!chosen.length) {
      error.textContent = t(poll.data.multiple ? 'audience.poll_choose_some' : 'audience.poll_choose_one');
      const first = form.querySelector('input');
      if (first) first.focus();
      return;
    }
    error.textContent = '';
    this.busy.add(pid);
    const submit = form.querySelector('.poll-vote');
    submit.setAttribute('aria-disabled', 'true');
    setText(submit, t('audience.poll_voting'));
    try {
      await api.idempotent('POST', api.eventPath(this.eventId, `polls/${encodeURIComponent(pid)}/votes`), { options: chosen }, { attempts: 3 });
      this.votedOn(poll);
    } catch (err) {
      if (err.code === 'already_voted') {
        this.votedOn(poll);
      } else {
        this.busy.delete(pid);
        if (form.isConnected) {
          submit.removeAttribute('aria-disabled');
          setText(submit, t('audience.poll_vote'));
          error.textContent = this.failure(err, 'audience.poll_closed_error');
          submit.focus();
        }
        return;
      }
    }
    this.busy.delete(pid);
  }

  votedOn(poll) {
    this.voted.add(poll.data.id);
    // drawPoll moves the focus the Vote button had to "Thank you, your
    // vote is recorded", which is then read; else the page says it.
    const hadFocus = poll.li.contains(document.activeElement);
    this.drawPoll(poll, {});
    if (!hadFocus) announce(t('audience.poll_voted'), 'ok');
  }
}
