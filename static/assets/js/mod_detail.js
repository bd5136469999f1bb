// Palabre — moderator console: the one question a moderator has open.
//
// Opening a line (its disclosure button) shows the full text, the original
// text after an edit, every author credited after a merge, the flagged
// words, and the actions that fit the question's state. At most one is open
// at a time: opening another closes the first.
//
// Claims: opening a question that awaits a decision claims it (POST claim, a
// 30 s soft lock on the server), renewed every 10 s while it stays open and
// the page is visible; closing it, or the page being hidden, releases it
// (POST release; keepalive when the page goes away). A question another
// moderator holds shows "handled by <label>" and its actions are disabled;
// a 409 `claimed` answer names the holder. When another moderator acts on
// the question one has open (claims it, edits it, decides it), the console
// says so politely (#status), once.
//
// Every action sends an Idempotency-Key made for that click
// (api.idempotent), retried by itself after transient failures.

import * as api from './api.js';
import { h, clear, announce, safeLang, focusElement } from './dom.js';
import { t } from './i18n.js';
import { staffErrorText } from './staff.js';
import { state, byCreated, upsert, patchQuestion, claimable, heldByOther, isPending, authorNames, renderNow, onChange, invalidate } from './mod_store.js';
import { toggleOf, reasonText } from './mod_rows.js';
import * as forms from './mod_forms.js';

const CLAIM_RENEW_MS = 10000;
const OURS_FOR_MS = 5000;

const open = { li: null, id: null, detail: null, timer: null, mine: false, busy: false };
const ours = new Map(); // question id → time of our last action on it
const inFlight = new Set(); // question ids with an action of ours under way
let onConflict = () => {};

export function setConflictHandler(fn) {
  onConflict = fn;
}

export function errorText(err) {
  if (err && err.code === 'claimed') return t('mod.error_claimed', { label: claimedLabel(err) });
  return staffErrorText(err, { conflict: 'mod.error_conflict', maxChars: forms.MAX_CHARS });
}

function claimedLabel(err) {
  const d = err && err.details;
  return (d && typeof d.claimed_by === 'string' && d.claimed_by) || t('mod.someone');
}

export function qPath(id, action) {
  return api.eventPath(state.eventId, `questions/${encodeURIComponent(id)}/${action}`);
}

export const openLi = () => open.li;
export const isOpen = (li) => !!li && open.li === li;

// ---- Open and close ---------------------------------------------------------------

export function toggleRow(li) {
  if (isOpen(li)) closeRow();
  else openRow(li);
}

export function openRow(li) {
  if (!li || isOpen(li)) return;
  const q = state.questions.get(li.dataset.id);
  if (!q) return;
  closeRow();
  open.li = li;
  open.id = q.id;
  open.mine = false;
  open.detail = h('div', { class: 'q-detail', id: `qd-${li.dataset.n}`, role: 'group',
    'aria-label': t('mod.question_of', { name: authorNames(q).join(', ') }) });
  li.append(open.detail);
  const toggle = toggleOf(li);
  toggle.setAttribute('aria-expanded', 'true');
  toggle.setAttribute('aria-controls', open.detail.id);
  li.classList.add('is-open');
  drawDetail();
  const holder = heldByOther(q);
  if (holder) announce(t('mod.held_note', { label: holder }));
  else claim();
  open.timer = setInterval(() => claim(), CLAIM_RENEW_MS);
}

export function closeRow({ release = true } = {}) {
  if (!open.li) return;
  const { li, id, mine } = open;
  clearInterval(open.timer);
  if (open.detail) open.detail.remove();
  const toggle = toggleOf(li);
  if (toggle) {
    toggle.setAttribute('aria-expanded', 'false');
    toggle.removeAttribute('aria-controls');
  }
  li.classList.remove('is-open');
  Object.assign(open, { li: null, id: null, detail: null, timer: null, mine: false, busy: false });
  if (release && mine) releaseClaim(id);
}

/** A list dropped the open row (the question left it, or a filter hid it). */
export function rowRemoved(li) {
  if (!isOpen(li)) return;
  const q = state.questions.get(open.id);
  closeRow({ release: !!q && claimable(q) });
}

/** The open row's question changed: draw it again (an open form stays). */
export function refresh(li) {
  if (isOpen(li)) drawDetail();
}

// ---- Claims --------------------------------------------------------------------------

async function claim() {
  const id = open.id;
  const q = id && state.questions.get(id);
  if (!q || !claimable(q) || heldByOther(q) || document.visibilityState === 'hidden') return;
  try {
    const res = await api.post(qPath(id, 'claim'), {});
    if (open.id !== id) {
      releaseClaim(id);
      return;
    }
    open.mine = true;
    if (res && res.claimed_by) state.me = res.claimed_by;
    patchQuestion(id, { claimed_by: res && res.claimed_by, claimed_until: res && res.until });
    renderNow();
  } catch (err) {
    if (open.id !== id) return;
    if (err.code === 'claimed') {
      open.mine = false;
      const label = claimedLabel(err);
      patchQuestion(id, { claimed_by: label, claimed_until: new Date(Date.now() + 30000).toISOString() });
      renderNow();
      announce(t('mod.held_note', { label }));
    }
    // conflict: it awaits nothing any more; the stream brings the news.
  }
}

function releaseClaim(id, keepalive = false) {
  const q = state.questions.get(id);
  if (q && !claimable(q)) return;
  if (!keepalive) {
    api.post(qPath(id, 'release'), {}).catch(() => {});
    return;
  }
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const csrf = api.getCsrfToken();
  if (csrf) headers['X-CSRF-Token'] = csrf;
  fetch(api.apiUrl(qPath(id, 'release')), { method: 'POST', keepalive: true, credentials: 'same-origin', headers, body: '{}' })
    .catch(() => {});
}

document.addEventListener('visibilitychange', () => {
  if (!open.id) return;
  if (document.visibilityState === 'hidden') {
    if (open.mine) releaseClaim(open.id, true);
    open.mine = false;
  } else {
    claim();
  }
});

window.addEventListener('pagehide', () => {
  if (open.id && open.mine) releaseClaim(open.id, true);
});

// What other moderators do to the question one has open is said once.
onChange((before, q) => {
  if (!before || q.id !== open.id) return;
  const mineRecently = Date.now() - (ours.get(q.id) || 0) < OURS_FOR_MS;
  const heldBefore = heldByOther(before);
  const heldNow = heldByOther(q);
  if (heldNow && heldNow !== heldBefore) {
    open.mine = false;
    announce(t('mod.claimed_other', { label: heldNow }));
  } else if (!heldNow && heldBefore) {
    setTimeout(() => claim(), 0);
  }
  if (mineRecently || q.version === before.version) return;
  if (q.status !== before.status || q.forwarded !== before.forwarded || q.hidden !== before.hidden) {
    announce(t('mod.gone_other', { status: statusText(q) }));
  } else if (q.text !== before.text) {
    announce(t('mod.edited_other'));
  }
});

function statusText(q) {
  if (q.hidden) return t('mod.badge_hidden');
  if (q.status === 'pending' && q.forwarded) return t('mod.st_forwarded');
  return t(`mod.st_${q.status}`);
}

// ---- Drawing ---------------------------------------------------------------------------

function drawDetail() {
  const q = state.questions.get(open.id);
  const d = open.detail;
  if (!q || !d) return;
  const holder = heldByOther(q);
  if (d.dataset.formOpen) {
    // A form being filled in stays; only the text and the holder follow.
    const full = d.querySelector('.q-full');
    if (full) full.textContent = q.text || '';
    forms.setHeld(d, holder ? t('mod.held_note', { label: holder }) : '');
    return;
  }
  const hadFocus = d.contains(document.activeElement) ? document.activeElement.dataset.action || 'any' : null;
  clear(d);
  const lang = safeLang(q.lang);
  d.append(h('p', { class: 'notice warn q-held', hidden: !holder, text: holder ? t('mod.held_note', { label: holder }) : '' }));
  d.append(h('p', { class: 'q-full', dir: 'auto', lang, text: q.text || '' }));
  if (q.original_text && q.original_text !== q.text) {
    d.append(h('p', { class: 'original' }, h('span', { text: t('mod.original') }), ' ',
      h('span', { dir: 'auto', lang, text: q.original_text })));
  }
  const names = authorNames(q);
  if (names.length > 1) d.append(h('p', { class: 'q-authors', text: t('mod.authors', { names: names.join(', ') }) }));
  if (Array.isArray(q.flags) && q.flags.length) d.append(h('p', { class: 'q-flags', text: t('mod.flags', { words: q.flags.join(', ') }) }));
  if (q.status === 'rejected') {
    d.append(h('p', { class: 'original', text: t('mod.reason_was', { reason: reasonText(q.reject_reason || 'other') }) }));
    if (q.reject_note) d.append(h('p', { class: 'original', text: t('mod.note_was', { note: q.reject_note }) }));
  }
  const actions = h('div', { class: 'actions' });
  const btn = (action, label, cls, fn, { question = true } = {}) => h('button', {
    type: 'button',
    class: cls,
    dataset: { action },
    disabled: question && !!holder,
    text: label,
    on: { click: () => { if (!open.busy) fn(); } },
  });
  const id = q.id;
  if (q.status === 'pending') {
    actions.append(btn('publish', t('mod.publish'), 'primary', () => act(id, 'publish')));
    actions.append(btn('edit', t('mod.edit'), null, () => forms.openEdit(d, q, submitter)));
    if (!q.forwarded) actions.append(btn('forward', t('mod.forward'), null, () => act(id, 'forward')));
    actions.append(btn('reject', t('mod.reject'), 'danger', () => forms.openReject(d, q, submitter)));
    if (isPending(q)) actions.append(btn('merge', t('mod.merge'), null, () => forms.openMerge(d, q, submitter)));
  } else if (q.status === 'published') {
    if (!q.forwarded) actions.append(btn('forward', t('mod.forward'), null, () => act(id, 'forward')));
    actions.append(btn('retract', t('mod.retract'), 'danger', () => forms.openRetract(d, q, submitter)));
  }
  if (q.visitor_id && q.status !== 'merged') {
    if (!state.banned.has(q.visitor_id)) {
      actions.append(btn('ban', t('mod.ban'), 'danger', () => forms.openBan(d, q, submitter), { question: false }));
    }
    actions.append(btn('timeout', t('mod.timeout'), null, () => forms.openTimeout(d, q, submitter), { question: false }));
  }
  if (actions.childElementCount) d.append(actions);
  d.append(h('div', { class: 'inline-slot' }));
  if (hadFocus) {
    const again = d.querySelector(`[data-action="${hadFocus}"]:not([disabled])`);
    focusElement(again || toggleOf(open.li));
  }
}

/** After a form closes: draw again, focus on the button that opened it. */
export function formClosed(action) {
  drawDetail();
  const d = open.detail;
  const b = d && d.querySelector(`[data-action="${action}"]:not([disabled])`);
  if (b) b.focus();
  else if (open.li) focusElement(toggleOf(open.li));
}

function setBusy(busy) {
  open.busy = busy;
  if (!open.detail) return;
  for (const b of open.detail.querySelectorAll('.actions button')) {
    if (busy) b.setAttribute('aria-disabled', 'true');
    else b.removeAttribute('aria-disabled');
  }
}

// ---- Actions -----------------------------------------------------------------------------

/**
 * POST questions/{id}/{action}; the answer's question(s) are taken at once.
 * Resolves true when done; on failure says why (#status) and resolves false,
 * or throws with opts.throwErrors (forms show the error next to the field).
 */
export async function act(id, action, body, { throwErrors = false, quiet = false } = {}) {
  const holder = heldByOther(state.questions.get(id));
  if (holder) {
    const err = Object.assign(new Error('claimed'), { code: 'claimed', details: { claimed_by: holder } });
    if (throwErrors) throw err;
    announce(errorText(err), 'error');
    return false;
  }
  if (inFlight.has(id)) return false; // a second press while the first is under way
  inFlight.add(id);
  ours.set(id, Date.now());
  const mineOpen = open.id === id;
  if (mineOpen) setBusy(true);
  try {
    const res = await api.idempotent('POST', qPath(id, action), body || {});
    ours.set(id, Date.now());
    if (open.id === id) {
      setBusy(false);
      if (action !== 'edit') open.mine = false; // the server ended the claim
    }
    if (res && res.merged) upsert(res.merged);
    if (res && res.question) upsert(res.question);
    renderNow();
    if (!quiet) announce(t(`mod.done_${action}`), 'ok');
    return true;
  } catch (err) {
    if (open.id === id) setBusy(false);
    if (err.code === 'claimed') {
      patchQuestion(id, { claimed_by: claimedLabel(err), claimed_until: new Date(Date.now() + 30000).toISOString() });
      renderNow();
    }
    if (err.code === 'conflict' || err.code === 'not_found') onConflict();
    if (throwErrors) throw err;
    announce(errorText(err), 'error');
    return false;
  } finally {
    inFlight.delete(id);
  }
}

// What the forms call to send (forms.js knows nothing of claims or paths).
const submitter = {
  act: (id, action, body) => act(id, action, body, { throwErrors: true }),
  async ban(q, reason, silent) {
    await api.idempotent('POST', api.eventPath(state.eventId, 'bans'), { visitor_id: q.visitor_id, reason, silent });
    state.banned.add(q.visitor_id);
    if (silent) state.silent.add(q.visitor_id);
    invalidate();
    renderNow();
    announce(t(silent ? 'mod.done_ban_silent' : 'mod.done_ban', { name: q.author || '' }), 'ok');
  },
  async timeout(q, seconds) {
    const res = await api.idempotent('POST', api.eventPath(state.eventId, 'timeouts'), { visitor_id: q.visitor_id, seconds });
    if (res && res.until) state.timeouts.set(q.visitor_id, res.until);
    invalidate();
    renderNow();
    announce(t('mod.done_timeout', { name: q.author || '', time: forms.timeWords(res && res.until) }), 'ok');
  },
  closed: formClosed,
  errorText,
  pendingChoices: (q) => Array.from(state.questions.values())
    .filter((o) => o.id !== q.id && isPending(o))
    .sort(byCreated),
};

// ---- Shortcuts ----------------------------------------------------------------------------

/** p, f, r, e on a row: what the shortcut does; false when it does not apply. */
export function shortcut(li, key) {
  const q = li && state.questions.get(li.dataset.id);
  if (!q) return false;
  const holder = heldByOther(q);
  if (holder) {
    announce(t('mod.error_claimed', { label: holder }), 'error');
    return true;
  }
  const pending = q.status === 'pending';
  if (key === 'p' && pending) {
    act(q.id, 'publish');
  } else if (key === 'f' && (pending || q.status === 'published') && !q.forwarded) {
    act(q.id, 'forward');
  } else if ((key === 'r' || key === 'e') && pending) {
    openRow(li);
    if (!isOpen(li) || !open.detail) return false;
    if (key === 'r') forms.openReject(open.detail, q, submitter);
    else forms.openEdit(open.detail, q, submitter);
  } else {
    announce(t('mod.key_not_here'));
  }
  return true;
}

