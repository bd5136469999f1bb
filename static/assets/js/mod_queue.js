// Palabre — moderator console: the shared queue and the lists of decided
// questions, one compact line per question.
//
// #pending shows the questions the filters choose (state, language, text;
// always visible above it): new questions by default, oldest first. Lines
// are built once per question and updated in place; a line whose question
// left the list is removed, and if it held the keyboard focus, the focus
// goes to the line that took its place (or the list's heading), never to
// the top of the page. The text filter waits 100 ms after the last key.
//
// Keyboard: the queue is one stop in the Tab order (a "roving" line: its
// checkbox and its button); ↓/↑ or j/k move between lines (mod_keys.js).
// Lines are selected with their checkbox (or x) for a bulk rejection.
//
// For a benchmark: performance.mark('palabre:queue-rendered') after the
// first drawing of the queue, 'palabre:filter-applied' after each filter is
// applied (and '…-start' marks before both).

import { $, announce, focusElement } from './dom.js';
import * as i18n from './i18n.js';
import { t } from './i18n.js';
import { state, byCreated, byUpdatedDesc, isPending, inGuestQueue, isFlagged, heldByOther, claimable, searchKey, normalize, hasClaims, onRender, renderNow, requestRender, invalidate } from './mod_store.js';
import { buildRow, fillLine, toggleOf, checkboxOf, plural } from './mod_rows.js';
import * as detail from './mod_detail.js';

const TEXT_DEBOUNCE_MS = 100;
const BULK_PARALLEL = 4;

const filters = { state: 'pending', lang: '', text: '' };
const selected = new Set();
let firstDrawn = false;
let filterApplied = false;
let currentId = null;    // the queue's line in the Tab order
let currentLi = null;


function matchesState(q, s) {
  switch (s) {
    case 'before': {
      const start = state.event ? state.event.starts_at : null;
      return isPending(q) && !!start && String(q.created_at) < String(start);
    }
    case 'flagged': return isPending(q) && isFlagged(q);
    case 'forwarded': return inGuestQueue(q);
    case 'answered': return !!q.answered;
    case 'hidden': return !!q.hidden && q.status === 'pending';
    default: return isPending(q);
  }
}

function queueWanted() {
  const text = normalize(filters.text.trim());
  const out = [];
  for (const q of state.questions.values()) {
    if (!matchesState(q, filters.state)) continue;
    if (filters.lang && q.lang !== filters.lang) continue;
    if (text && !searchKey(q).includes(text)) continue;
    out.push(q);
  }
  if (filters.state === 'forwarded') {
    const rank = new Map(state.forwardOrder.map((id, i) => [id, i]));
    return out.sort((a, b) => (rank.get(a.id) ?? 1e9) - (rank.get(b.id) ?? 1e9) || byCreated(a, b));
  }
  return out.sort(filters.state === 'answered' ? byUpdatedDesc : byCreated);
}

function publishedWanted() {
  const qs = Array.from(state.questions.values()).filter((q) => q.status === 'published');
  if ($('#published-sort').value === 'supports') {
    return qs.sort((a, b) => (b.supports || 0) - (a.supports || 0) || byUpdatedDesc(a, b));
  }
  return qs.sort(byUpdatedDesc);
}

// rows: the lines in the list now; built: every line built for a question
// still known, kept while a filter hides it, so that clearing a filter
// puts lines back instead of building 500 again.
const lists = {
  queue: { id: 'pending', selectable: true, roving: true, wanted: queueWanted, rows: new Map(), built: new Map() },
  published: { id: 'published', wanted: publishedWanted, rows: new Map(), built: new Map() },
  rejected: { id: 'rejected', wanted: () => Array.from(state.questions.values()).filter((q) => q.status === 'rejected').sort(byUpdatedDesc), rows: new Map(), built: new Map() },
};

// ---- Drawing ----------------------------------------------------------------

// q's line in list L, built or brought up to date, and listed as shown.
function rowFor(L, q) {
  let li = L.rows.get(q.id) || L.built.get(q.id);
  if (!li) {
    li = buildRow(q, L);
    L.built.set(q.id, li);
  } else if (li.q !== q || li.epoch !== state.epoch) {
    fillLine(li, q);
    if (li.q !== q) detail.refresh(li);
  }
  li.q = q;
  li.epoch = state.epoch;
  L.rows.set(q.id, li);
  return li;
}

function drawList(L) {
  const el = $(`#${L.id}`);
  const wanted = L.wanted();
  const active = document.activeElement;
  let focusId = null;
  let focusIndex = -1;
  if (active && el.contains(active)) {
    const li = active.closest('li.q-row');
    focusId = li ? li.dataset.id : null;
    focusIndex = Array.prototype.indexOf.call(el.children, li);
  }
  const ids = new Set(wanted.map((q) => q.id));
  for (const [id, li] of L.rows) {
    if (ids.has(id)) continue;
    detail.rowRemoved(li);
    li.remove();
    L.rows.delete(id);
    if (L.selectable) {
      selected.delete(id);
      checkboxOf(li).checked = false;
    }
  }
  for (const id of L.built.keys()) if (!state.questions.has(id)) L.built.delete(id);
  // An empty list (the first draw, a filter that showed nothing) is filled
  // off the document and attached once: one insertion instead of hundreds.
  if (el.children.length === 0 && wanted.length > 0) {
    const fragment = document.createDocumentFragment();
    for (const q of wanted) fragment.append(rowFor(L, q));
    el.append(fragment);
    return wanted.length;
  }
  for (let i = 0; i < wanted.length; i++) {
    const li = rowFor(L, wanted[i]);
    if (el.children[i] !== li) el.insertBefore(li, el.children[i] || null);
  }
  if (focusId && !L.rows.has(focusId)) {
    // The focused line left: the next one (or the heading) takes the focus.
    const next = el.children[Math.min(focusIndex, el.children.length - 1)];
    if (L.roving && next) setCurrent(next);
    focusElement(next ? toggleOf(next) : $(`#${L.id}-title`));
  } else if (active && active !== document.activeElement && active.isConnected) {
    active.focus({ preventScroll: true });
  }
  return wanted.length;
}

function filtersAreDefault() {
  return filters.state === 'pending' && !filters.lang && !filters.text.trim();
}

function drawQueue() {
  const first = !firstDrawn;
  if (first) performance.mark('palabre:queue-render-start');
  const shown = drawList(lists.queue);
  const el = $('#pending');
  if (!currentId || !lists.queue.rows.has(currentId)) setCurrent(el.firstElementChild);
  const empty = $('#pending-empty');
  empty.hidden = shown > 0;
  empty.textContent = t(filtersAreDefault() ? 'mod.pending_empty' : 'mod.empty_filtered');
  $('#filter-summary').textContent = plural('mod.shown', shown);
  if (first) {
    firstDrawn = true;
    performance.mark('palabre:queue-rendered');
  }
  if (filterApplied) {
    filterApplied = false;
    performance.mark('palabre:filter-applied');
  }
  drawBulk();
}

function drawCounters() {
  const c = { pending: 0, flagged: 0, forwarded: 0, published: 0, rejected: 0 };
  for (const q of state.questions.values()) {
    if (isPending(q)) {
      c.pending++;
      if (isFlagged(q)) c.flagged++;
    }
    if (inGuestQueue(q)) c.forwarded++;
    if (q.status === 'published') c.published++;
    if (q.status === 'rejected') c.rejected++;
  }
  for (const [k, v] of Object.entries(c)) $(`#count-${k}`).textContent = String(v);
  const title = state.event ? state.event.title : '';
  document.title = c.pending ? t('mod.doc_title_count', { n: c.pending, title }) : t('mod.doc_title_event', { title });
}

export function render() {
  drawQueue();
  $('#published-empty').hidden = drawList(lists.published) > 0;
  $('#rejected-empty').hidden = drawList(lists.rejected) > 0;
  drawCounters();
}

export { invalidate };

// ---- The roving line and moving between lines ------------------------------------

function setCurrent(li) {
  const before = currentLi;
  if (before && before !== li) {
    toggleOf(before).tabIndex = -1;
    checkboxOf(before).tabIndex = -1;
  }
  currentLi = li || null;
  currentId = li ? li.dataset.id : null;
  if (li) {
    toggleOf(li).tabIndex = 0;
    checkboxOf(li).tabIndex = 0;
  }
}

/** The line the keyboard works on: the one holding the focus, else the open one, else the queue's current one. */
export function currentRow() {
  const a = document.activeElement;
  const li = a && a.closest ? a.closest('.q-list > li.q-row') : null;
  if (li) return li;
  return detail.openLi() || (currentId ? lists.queue.rows.get(currentId) : null);
}

/** Moves the focus `delta` lines in the list holding it (the queue by default). */
export function move(delta) {
  const a = document.activeElement;
  const inList = a && a.closest ? a.closest('.q-list') : null;
  const el = inList || $('#pending');
  const rows = el.children;
  if (!rows.length) return;
  const here = inList ? a.closest('li.q-row') : (el.id === 'pending' && currentId ? lists.queue.rows.get(currentId) : null);
  let i = here ? Array.prototype.indexOf.call(rows, here) : -1;
  if (inList || here === null) i = Math.max(0, Math.min(rows.length - 1, i + delta));
  const li = rows[i];
  if (el.id === 'pending') setCurrent(li);
  const toggle = toggleOf(li);
  toggle.focus();
  toggle.scrollIntoView({ block: 'nearest' });
}

/** Opens the next question after the current line that nobody else handles. */
export function openNext() {
  const rows = Array.from($('#pending').children);
  const here = currentRow();
  const start = here && here.parentElement && here.parentElement.id === 'pending' ? rows.indexOf(here) + 1 : 0;
  for (const li of rows.slice(start)) {
    const q = state.questions.get(li.dataset.id);
    if (q && claimable(q) && !heldByOther(q)) {
      setCurrent(li);
      detail.openRow(li);
      toggleOf(li).focus();
      toggleOf(li).scrollIntoView({ block: 'nearest' });
      return;
    }
  }
  announce(t('mod.next_none'));
}

export function toggleSelect(li) {
  const box = checkboxOf(li);
  if (!box) return;
  box.checked = !box.checked;
  onSelect(li, box.checked);
}

// ---- Selection and bulk rejection ---------------------------------------------------------

function onSelect(li, on) {
  if (on) selected.add(li.dataset.id);
  else selected.delete(li.dataset.id);
  drawBulk();
}

function drawBulk() {
  const n = selected.size;
  $('#bulk-count').textContent = n ? plural('mod.bulk_count', n) : t('mod.bulk_count_none');
}

function selectShown(on) {
  for (const li of lists.queue.rows.values()) {
    const q = state.questions.get(li.dataset.id);
    const wanted = on && q && q.status === 'pending' && !heldByOther(q);
    checkboxOf(li).checked = !!wanted;
    if (wanted) selected.add(li.dataset.id);
    else selected.delete(li.dataset.id);
  }
  drawBulk();
}

async function bulkReject() {
  const button = $('#bulk-reject');
  if (button.getAttribute('aria-disabled')) return;
  const ids = Array.from(selected).filter((id) => {
    const q = state.questions.get(id);
    return q && q.status === 'pending';
  });
  if (!ids.length) {
    announce(t('mod.bulk_empty'), 'error');
    return;
  }
  const reason = $('#bulk-reason').value;
  button.setAttribute('aria-disabled', 'true');
  let ok = 0;
  let failed = 0;
  const queue = ids.slice();
  const worker = async () => {
    while (queue.length) {
      const id = queue.shift();
      try {
        await detail.act(id, 'reject', { reason }, { throwErrors: true, quiet: true });
        ok++;
        selected.delete(id);
      } catch (_) {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BULK_PARALLEL, ids.length) }, worker));
  button.removeAttribute('aria-disabled');
  renderNow();
  const words = [ok ? plural('mod.bulk_done', ok) : '', failed ? plural('mod.bulk_failed', failed) : ''].filter(Boolean).join(' ');
  announce(words, failed ? 'error' : 'ok');
}

// ---- Filters --------------------------------------------------------------------------------

function applyFilters(say) {
  performance.mark('palabre:filter-start');
  filterApplied = true;
  renderNow();
  if (say) announce($('#filter-summary').textContent);
}

/** Draws the language choices (the event's languages). */
export function setLanguages(languages) {
  const select = $('#filter-lang');
  const keep = select.value;
  while (select.options.length > 1) select.remove(1);
  // By name in the interface's language ("Allemand"), the tag as value.
  for (const tag of languages || []) select.add(new Option(i18n.languageName(tag), tag));
  select.value = (languages || []).includes(keep) ? keep : '';
}

export function init() {
  const queue = $('#pending');
  for (const L of Object.values(lists)) {
    $(`#${L.id}`).addEventListener('click', (e) => {
      const b = e.target.closest('.q-toggle');
      if (!b) return;
      const li = b.closest('li.q-row');
      if (L.roving) setCurrent(li);
      detail.toggleRow(li);
    });
  }
  queue.addEventListener('change', (e) => {
    if (e.target.classList.contains('q-select')) onSelect(e.target.closest('li.q-row'), e.target.checked);
  });
  queue.addEventListener('focusin', (e) => {
    const li = e.target.closest('#pending > li.q-row');
    if (li && li.dataset.id !== currentId) setCurrent(li);
  });
  $('#filters').addEventListener('submit', (e) => e.preventDefault());
  $('#filter-state').addEventListener('change', (e) => {
    filters.state = e.target.value;
    applyFilters(true);
  });
  $('#filter-lang').addEventListener('change', (e) => {
    filters.lang = e.target.value;
    applyFilters(true);
  });
  let textTimer = null;
  $('#filter-text').addEventListener('input', (e) => {
    clearTimeout(textTimer);
    textTimer = setTimeout(() => {
      filters.text = e.target.value;
      applyFilters(true);
    }, TEXT_DEBOUNCE_MS);
  });
  $('#published-sort').addEventListener('change', () => renderNow());
  $('#select-all').addEventListener('click', () => selectShown(true));
  $('#bulk-clear').addEventListener('click', () => selectShown(false));
  $('#bulk-reject').addEventListener('click', bulkReject);
  onRender(render);
  // A claim that nobody renews ends on the server without a frame: its
  // "handled by" goes when its time is up.
  setInterval(() => {
    if (hasClaims()) {
      invalidate();
      requestRender();
    }
  }, 5000);
}
