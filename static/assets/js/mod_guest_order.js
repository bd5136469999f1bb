// Palabre — moderator console: the guest's queue, in the order the guest
// will take the questions (GET queue's `forwarded` and `guest_now`, then
// `queue` frames {"order","now"} from the staff stream).
//
// Moderators arrange it by drag and drop, or with the keyboard: each line
// has "Move up", "Move down" and "Mark as now" buttons (the last one
// aria-pressed). "Sort by supports" orders it by the audience's supports.
// Every change is one PUT guest-queue {"order","now"}, shown at once and
// put back if the server refuses it (a question answered meanwhile: 409).
// Lines are updated in place, so the button one pressed keeps the focus
// when its line moves; the new position is announced politely.

import * as api from './api.js';
import { $, h, announce, syncKeyedList, safeLang } from './dom.js';
import { t } from './i18n.js';
import { state, byCreated, inGuestQueue, onRender, renderNow, invalidate } from './mod_store.js';
import { plural } from './mod_rows.js';
import { errorText } from './mod_detail.js';

const rows = new Map();
let dragId = null;
let sending = 0;

export function ordered() {
  const rank = new Map(state.forwardOrder.map((id, i) => [id, i]));
  return Array.from(state.questions.values()).filter(inGuestQueue)
    .sort((a, b) => (rank.get(a.id) ?? 1e9) - (rank.get(b.id) ?? 1e9)
      || byCreated(a, b));
}

/** A `queue` frame, or the PUT's answer: {order, now}. */
export function applyQueue(data) {
  if (!data || !Array.isArray(data.order)) return;
  const rest = state.forwardOrder.filter((id) => !data.order.includes(id));
  state.forwardOrder = [...data.order, ...rest];
  if (data.now !== undefined) state.guestNow = data.now || null;
  invalidate();
}

function build(q) {
  const li = h('li', { class: 'g-row', draggable: 'true', dataset: { id: q.id } });
  const suffix = () => h('span', { class: 'visually-hidden g-of' });
  li.append(
    h('div', { class: 'g-line' },
      h('span', { class: 'g-pos' }),
      h('span', { class: 'badge', dataset: { status: 'now' }, hidden: true, text: t('mod.badge_now') }),
      h('bdi', { class: 'msg-author' }),
      h('span', { class: 'q-supports' }),
      h('span', { class: 'msg-text g-text', dir: 'auto' })),
    h('div', { class: 'g-actions' },
      h('button', { type: 'button', dataset: { move: 'up' } }, h('span', { class: 'g-label' }), suffix()),
      h('button', { type: 'button', dataset: { move: 'down' } }, h('span', { class: 'g-label' }), suffix()),
      h('button', { type: 'button', dataset: { move: 'now' }, 'aria-pressed': 'false' }, h('span', { class: 'g-label' }), suffix())));
  return li;
}

function fill(li, q, i, total) {
  const set = (sel, text) => {
    const el = li.querySelector(sel);
    if (el.textContent !== text) el.textContent = text;
  };
  set('.g-pos', `${i + 1}.`);
  li.querySelector('[data-status="now"]').hidden = state.guestNow !== q.id;
  set('.msg-author', q.author || '');
  set('.q-supports', q.supports > 0 ? plural('mod.supports', q.supports) : '');
  set('.g-text', q.text || '');
  const text = li.querySelector('.g-text');
  const lang = safeLang(q.lang);
  if (lang) text.setAttribute('lang', lang);
  const of = t('mod.row_of', { name: q.author || '' });
  const labels = { up: t('mod.move_up'), down: t('mod.move_down'), now: t('mod.mark_now') };
  for (const b of li.querySelectorAll('button[data-move]')) {
    const kind = b.dataset.move;
    b.querySelector('.g-label').textContent = labels[kind];
    b.querySelector('.g-of').textContent = ` ${of}`;
    if (kind === 'up') b.disabled = i === 0;
    if (kind === 'down') b.disabled = i === total - 1;
    if (kind === 'now') b.setAttribute('aria-pressed', String(state.guestNow === q.id));
  }
  li.classList.toggle('is-now', state.guestNow === q.id);
}

export function render() {
  const list = $('#forwarded');
  const wanted = ordered();
  const active = document.activeElement;
  const activeMove = active && list.contains(active) ? active.dataset.move : null;
  const activeId = activeMove ? active.closest('li').dataset.id : null;
  syncKeyedList(list, rows, wanted, { create: (q) => build(q), update: (li) => li });
  wanted.forEach((q, i) => fill(rows.get(q.id), q, i, wanted.length));
  $('#forwarded-empty').hidden = wanted.length > 0;
  $('#guest-sort').disabled = wanted.length < 2;
  if (activeId && document.activeElement !== active) {
    const li = rows.get(activeId);
    const again = li && (li.querySelector(`[data-move="${activeMove}"]:not([disabled])`)
      || li.querySelector('[data-move]:not([disabled])'));
    if (again) again.focus({ preventScroll: true });
  } else if (activeId && active.disabled) {
    const other = rows.get(activeId).querySelector('[data-move]:not([disabled])');
    if (other) other.focus({ preventScroll: true });
  }
}

async function send(order, now, words) {
  const before = { order: state.forwardOrder.slice(), now: state.guestNow };
  applyQueue({ order, now });
  renderNow();
  const body = now === undefined ? { order } : { order, now };
  sending++;
  try {
    const res = await api.idempotent('PUT', api.eventPath(state.eventId, 'guest-queue'), body);
    applyQueue(res);
    renderNow();
    if (words) announce(words(), 'ok');
  } catch (err) {
    state.forwardOrder = before.order;
    state.guestNow = before.now;
    invalidate();
    renderNow();
    announce(errorText(err), 'error');
  } finally {
    sending--;
  }
}

function moveTo(id, index) {
  const ids = ordered().map((q) => q.id).filter((x) => x !== id);
  const at = Math.max(0, Math.min(ids.length, index));
  ids.splice(at, 0, id);
  const q = state.questions.get(id);
  send(ids, undefined, () => t('mod.moved', { name: q ? q.author || '' : '', n: ids.indexOf(id) + 1, total: ids.length }));
}

function onClick(e) {
  const b = e.target.closest('button[data-move]');
  if (!b || b.disabled) return;
  const id = b.closest('li').dataset.id;
  const ids = ordered().map((q) => q.id);
  const i = ids.indexOf(id);
  if (b.dataset.move === 'up') moveTo(id, i - 1);
  else if (b.dataset.move === 'down') moveTo(id, i + 1);
  else {
    const now = state.guestNow === id ? null : id;
    const q = state.questions.get(id);
    send(ids, now, () => (now ? t('mod.now_set', { name: q ? q.author || '' : '' }) : t('mod.now_cleared')));
  }
}

function sortBySupports() {
  const ids = ordered().sort((a, b) => (b.supports || 0) - (a.supports || 0)).map((q) => q.id);
  send(ids, undefined, () => t('mod.sorted_supports'));
}

function clearDrop(list) {
  for (const li of list.querySelectorAll('.drop-before, .drop-after, .is-dragging')) {
    li.classList.remove('drop-before', 'drop-after', 'is-dragging');
  }
}

export function init() {
  const list = $('#forwarded');
  list.addEventListener('click', onClick);
  $('#guest-sort').addEventListener('click', sortBySupports);
  list.addEventListener('dragstart', (e) => {
    const li = e.target.closest && e.target.closest('li.g-row');
    if (!li) return;
    dragId = li.dataset.id;
    li.classList.add('is-dragging');
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData('text/plain', dragId);
  });
  list.addEventListener('dragover', (e) => {
    const li = e.target.closest && e.target.closest('li.g-row');
    if (!dragId || !li) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    const r = li.getBoundingClientRect();
    const after = e.clientY > r.top + r.height / 2;
    for (const other of list.querySelectorAll('.drop-before, .drop-after')) if (other !== li) other.classList.remove('drop-before', 'drop-after');
    li.classList.toggle('drop-after', after);
    li.classList.toggle('drop-before', !after);
  });
  list.addEventListener('drop', (e) => {
    const li = e.target.closest && e.target.closest('li.g-row');
    const id = dragId;
    clearDrop(list);
    dragId = null;
    if (!id || !li) return;
    e.preventDefault();
    if (li.dataset.id === id) return;
    const ids = ordered().map((q) => q.id).filter((x) => x !== id);
    const r = li.getBoundingClientRect();
    const at = ids.indexOf(li.dataset.id) + (e.clientY > r.top + r.height / 2 ? 1 : 0);
    moveTo(id, at);
  });
  list.addEventListener('dragend', () => {
    dragId = null;
    clearDrop(list);
  });
  onRender(render);
}

export const busy = () => sending > 0;
