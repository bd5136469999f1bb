// Palabre — guest console (e/{id}/guest): the invited guest answers the
// questions that moderators forward, one card per question, in the order the
// moderators set (GET guest-queue). The staff stream, which for a guest only
// carries forwarded questions, adds new ones live; its first connection
// replays them all, so answered ones are listed too. An answer being typed is
// kept (sessionStorage) until the server has accepted it.
//
// An answer carries an Idempotency-Key: transient failures are retried by
// themselves with it, and sending the same text again after such a failure
// reuses it (api.FormKey), so an answer is never published twice. When a
// stream is reset (the server lost its history), the forwarded questions are
// fetched again (GET guest-queue) and the public thread is rebuilt from the
// frames that follow.
//
// The moderators arrange the order (PUT guest-queue → `queue` frames
// {order, now}): the list follows it, and the question marked "now" comes
// first with an "En cours" badge (aria-current="true"). The guest may sort by
// support instead (the count of each published question comes with the
// question, and live from the public stream's `support` frames). A library
// of prepared answers (GET/POST prepared-answers) feeds an "insert" control
// on each card: the text goes into the answer box, where the guest edits it
// before sending it as an ordinary answer.

import * as api from './api.js';
import { h, $, clear, announce, applyBranding, renderBrand, focusElement, codePoints, safeLang, syncKeyedList } from './dom.js';
import * as i18n from './i18n.js';
import { t } from './i18n.js';
import { LiveStream, cursorAtOrBefore } from './stream.js';
import { showConnection } from './connection.js';
import { Thread } from './thread.js';
import { openSession, closeSession, snapshotReloader, staffErrorText } from './staff.js';
import { plural } from './audience.js';

const MAX_CHARS = 2000;
const MAX_TITLE = 200;
const ORDER_REFRESH_MS = 20000;
const SORTS = ['order', 'support'];

const state = {
  eventId: api.eventIdFromPath(),
  event: null,
  questions: new Map(),
  order: [],
  answers: new Map(), // question id → answer text (ours, or seen on the public stream)
  now: null, // the question the moderators marked as being answered now
  snapshotCursor: null, // the guest feed's cursor of the last GET guest-queue
  // question id → supports. The count only grows (each visitor once, never
  // taken back), so the highest seen wins: a question frame replayed from
  // the guest feed carries the count of its time, older than the snapshot's
  // or the public stream's `support` frames.
  supports: new Map(),
  sort: 'order', // "order" (the moderators') or "support"
  prepared: [], // the debate's prepared answers, oldest first
  ready: false,
  staffStream: null, // its state is the one #connection shows
};

const cards = { todo: new Map(), done: new Map() };
let seq = 0;

const errorText = (err) => staffErrorText(err, { conflict: 'guest.error_conflict', maxChars: MAX_CHARS });


function draftKey(id) {
  return `palabre.draft.${state.eventId}.${id}`;
}

function loadDraft(id) {
  try {
    return window.sessionStorage.getItem(draftKey(id)) || '';
  } catch (_) {
    return '';
  }
}

function saveDraft(id, text) {
  try {
    if (text) window.sessionStorage.setItem(draftKey(id), text);
    else window.sessionStorage.removeItem(draftKey(id));
  } catch (_) {
    // No storage: drafts live only in the page.
  }
}

function loadSort() {
  try {
    const v = window.sessionStorage.getItem(`palabre.guest-sort.${state.eventId}`);
    return SORTS.includes(v) ? v : 'order';
  } catch (_) {
    return 'order';
  }
}

function saveSort(v) {
  try {
    window.sessionStorage.setItem(`palabre.guest-sort.${state.eventId}`, v);
  } catch (_) {
    // Not remembered across reloads.
  }
}

function isTodo(q) {
  return q.forwarded && !q.answered && !state.answers.has(q.id)
    && (q.status === 'pending' || q.status === 'published');
}

function isDone(q) {
  return (q.answered || state.answers.has(q.id)) && q.status !== 'retracted' && q.status !== 'rejected';
}

function questionHeader(q, headingId, { todo = false } = {}) {
  return [
    h('h3', { id: headingId, tabindex: '-1' },
      h('span', { text: t('guest.question_from') }), ' ',
      h('bdi', { class: 'msg-author', text: q.author || '' }),
      // The question the moderators say is being answered now (decorateTodo).
      todo ? ' ' : null,
      todo ? h('span', { class: 'badge now-badge', dataset: { status: 'now' }, hidden: true, text: t('guest.now') }) : null),
    h('p', { class: 'msg-meta' },
      q.created_at ? h('time', { datetime: q.created_at, text: i18n.formatTime(q.created_at) }) : null,
      todo ? h('span', { class: 'guest-supports', hidden: true }) : null),
    h('p', { class: 'msg-text', dir: 'auto', lang: safeLang(q.lang), text: q.text || '' }),
  ];
}

// The parts of a to-do card that change without its question changing:
// whether it is "now", and its count of supports.
function decorateTodo(li, q) {
  const isNow = q.id === state.now;
  li.classList.toggle('is-now', isNow);
  if (isNow) li.setAttribute('aria-current', 'true');
  else li.removeAttribute('aria-current');
  const badge = li.querySelector('.now-badge');
  if (badge) badge.hidden = !isNow;
  const supports = li.querySelector('.guest-supports');
  if (supports) {
    const n = supportsOf(q.id);
    supports.hidden = q.status !== 'published';
    const text = plural('audience.supports', n);
    if (supports.textContent !== text) supports.textContent = text;
  }
  return li;
}

function supportsOf(id) {
  return state.supports.get(id) || 0;
}

// Returns whether the count shown changes.
function noteSupports(id, n) {
  if (!Number.isFinite(n) || n <= supportsOf(id)) return false;
  state.supports.set(id, n);
  return true;
}

// ---- Prepared answers ----------------------------------------------------------

function preparedById(id) {
  return state.prepared.find((a) => a.id === id) || null;
}

// Fills a card's list of prepared answers, keeping its choice; the control
// shows only when there is something to insert.
function fillPreparedChoice(box) {
  if (!box) return;
  const select = box.querySelector('select');
  const chosen = select.value;
  const options = state.prepared.map((a) => h('option', { value: a.id, text: a.title || '' }));
  select.replaceChildren(...options);
  if (chosen && preparedById(chosen)) select.value = chosen;
  box.hidden = state.prepared.length === 0;
}

function renderPrepared() {
  const list = $('#prepared-list');
  const lang = safeLang(state.event && (state.event.languages || [])[0]);
  list.replaceChildren(...state.prepared.map((a) => h('li', { class: 'prepared-item', dataset: { id: a.id } },
    h('h3', { dir: 'auto', lang: safeLang(a.lang) || lang, text: a.title || '' }),
    h('p', { class: 'msg-text', dir: 'auto', lang: safeLang(a.lang) || lang, text: a.text || '' }))));
  $('#prepared-empty').hidden = state.prepared.length > 0;
  for (const li of cards.todo.values()) fillPreparedChoice(li.querySelector('.prepared-insert'));
}

async function loadPrepared() {
  try {
    const res = await api.get(api.eventPath(state.eventId, 'prepared-answers'));
    state.prepared = Array.isArray(res && res.items) ? res.items : [];
    $('#prepared-error').textContent = '';
  } catch (err) {
    $('#prepared-error').textContent = `${t('guest.prepared_load_failed')} ${errorText(err)}`;
  }
  renderPrepared();
}

const preparedKey = new api.FormKey();
let preparedBusy = false;

async function onAddPrepared(e) {
  e.preventDefault();
  if (preparedBusy) return;
  const titleInput = $('#prepared-title');
  const textArea = $('#prepared-text');
  const error = $('#prepared-form-error');
  const title = titleInput.value.trim();
  const text = textArea.value.trim();
  error.textContent = '';
  titleInput.removeAttribute('aria-invalid');
  textArea.removeAttribute('aria-invalid');
  const invalid = (el, message) => {
    el.setAttribute('aria-invalid', 'true');
    error.textContent = message;
    el.focus();
  };
  if (!title) return invalid(titleInput, t('guest.prepared_title_required'));
  if (codePoints(title) > MAX_TITLE) return invalid(titleInput, t('guest.prepared_title_too_long', { n: MAX_TITLE }));
  if (!text) return invalid(textArea, t('error.text_empty'));
  if (codePoints(text) > MAX_CHARS) return invalid(textArea, t('error.text_too_long', { n: MAX_CHARS }));
  const submit = $('#prepared-submit');
  preparedBusy = true;
  submit.setAttribute('aria-disabled', 'true');
  const body = { title, text };
  try {
    const created = await api.idempotent('POST', api.eventPath(state.eventId, 'prepared-answers'), body,
      { idempotencyKey: preparedKey.for(body) });
    preparedKey.settled(null);
    if (created && created.id && !preparedById(created.id)) state.prepared.push(created);
    renderPrepared();
    titleInput.value = '';
    textArea.value = '';
    announce(t('guest.prepared_saved', { title }), 'ok');
    titleInput.focus();
  } catch (err) {
    preparedKey.settled(err);
    error.textContent = err.code === 'text_too_long' ? t('guest.prepared_title_too_long', { n: MAX_TITLE }) : errorText(err);
  } finally {
    preparedBusy = false;
    submit.removeAttribute('aria-disabled');
  }
  return undefined;
}

function buildTodo(q) {
  const n = ++seq;
  const headingId = `todo-h-${n}`;
  const fieldId = `answer-${n}`;
  const counterId = `answer-count-${n}`;
  const errId = `answer-err-${n}`;
  const li = h('li', { class: 'card guest-card', dataset: { id: q.id } });
  const area = h('textarea', { id: fieldId, rows: 5, 'aria-describedby': `${counterId} ${errId}` });
  const choiceId = `prepared-choice-${n}`;
  const insertBox = h('div', { class: 'prepared-insert', hidden: true },
    h('label', { for: choiceId, text: t('guest.insert_label') }),
    h('div', { class: 'insert-row' },
      h('select', { id: choiceId }),
      h('button', { type: 'button', class: 'insert-prepared', text: t('guest.insert'), on: { click: () => insertPrepared() } })));
  // The chosen prepared answer goes into the box (after what is already
  // typed), where the guest reads and edits it before publishing.
  const insertPrepared = () => {
    const chosen = preparedById(insertBox.querySelector('select').value);
    if (!chosen) return;
    const before = area.value.replace(/\s+$/, '');
    area.value = before ? `${before}\n\n${chosen.text}` : chosen.text;
    area.dispatchEvent(new Event('input'));
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
    announce(t('guest.inserted'), 'ok');
  };
  fillPreparedChoice(insertBox);
  area.value = loadDraft(q.id);
  const counter = h('p', { id: counterId, class: 'counter' });
  const error = h('p', { id: errId, class: 'notice error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary', text: t('guest.send') });
  const updateCounter = () => {
    const count = codePoints(area.value);
    counter.textContent = t('visitor.counter', { n: count, max: MAX_CHARS });
    counter.classList.toggle('over', count > MAX_CHARS);
  };
  updateCounter();
  area.addEventListener('input', () => {
    updateCounter();
    saveDraft(q.id, area.value);
  });
  const form = h('form', { novalidate: true, class: 'inline-form' },
    insertBox,
    h('div', { class: 'field' }, h('label', { for: fieldId, text: t('guest.your_answer') }), area, counter),
    error,
    h('div', { class: 'actions' }, submit));
  let busy = false;
  const formKey = new api.FormKey();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    const text = area.value.trim();
    error.textContent = '';
    if (!text) {
      error.textContent = t('error.text_empty');
      area.focus();
      return;
    }
    if (codePoints(text) > MAX_CHARS) {
      error.textContent = t('error.text_too_long', { n: MAX_CHARS });
      area.focus();
      return;
    }
    busy = true;
    submit.setAttribute('aria-disabled', 'true');
    submit.textContent = t('guest.sending');
    const body = { question_id: q.id, text };
    try {
      await api.idempotent('POST', api.eventPath(state.eventId, 'answers'), body, { idempotencyKey: formKey.for(body) });
      formKey.settled(null);
      saveDraft(q.id, '');
      state.answers.set(q.id, text);
      const cur = state.questions.get(q.id);
      if (cur) state.questions.set(q.id, { ...cur, answered: true });
      announce(t('guest.done_answer'), 'ok');
      render();
    } catch (err) {
      formKey.settled(err);
      error.textContent = errorText(err);
      area.focus();
    } finally {
      busy = false;
      submit.removeAttribute('aria-disabled');
      submit.textContent = t('guest.send');
    }
  });
  li.append(h('article', { 'aria-labelledby': headingId }, ...questionHeader(q, headingId, { todo: true }), form));
  li.dataset.text = q.text || '';
  return decorateTodo(li, q);
}

function buildDone(q) {
  const headingId = `done-h-${++seq}`;
  const li = h('li', { class: 'card', dataset: { id: q.id } });
  const answer = state.answers.get(q.id);
  li.append(h('article', { 'aria-labelledby': headingId }, ...questionHeader(q, headingId),
    answer ? h('div', { class: 'msg msg-answer' },
      h('p', { class: 'msg-meta', text: t('guest.your_answer_was') }),
      h('p', { class: 'msg-text', dir: 'auto', text: answer })) : null));
  li.dataset.sig = `${q.text}\n${answer || ''}`;
  return li;
}

// The question being answered now first; then the moderators' order, or
// the most supported first (ties in the moderators' order).
function todoList() {
  const rank = new Map(state.order.map((id, i) => [id, i]));
  return Array.from(state.questions.values()).filter(isTodo)
    .sort((a, b) => Number(b.id === state.now) - Number(a.id === state.now)
      || (state.sort === 'support' ? supportsOf(b.id) - supportsOf(a.id) : 0)
      || (rank.get(a.id) ?? 1e9) - (rank.get(b.id) ?? 1e9)
      || String(a.created_at).localeCompare(String(b.created_at)));
}

function doneList() {
  return Array.from(state.questions.values()).filter(isDone)
    .sort((a, b) => String(b.updated_at || '').localeCompare(String(a.updated_at || '')));
}

function render() {
  const active = document.activeElement;
  const todoEl = $('#todo');
  let focusIndex = -1;
  let focusId = null;
  let selection = null;
  if (active && todoEl.contains(active)) {
    const li = active.closest('li.card');
    focusId = li ? li.dataset.id : null;
    focusIndex = Array.from(todoEl.children).indexOf(li);
    if (active.tagName === 'TEXTAREA') selection = [active.selectionStart, active.selectionEnd];
  }

  const sync = (kind, listEl, wanted, build, stale, decorate = (li) => li) => syncKeyedList(listEl, cards[kind], wanted, {
    create: build,
    update: (li, q) => decorate(stale(li, q) ? build(q) : li, q),
  });
  // A to-do card is rebuilt only if the moderators edited the question, and
  // then the draft survives in sessionStorage.
  sync('todo', todoEl, todoList(), buildTodo, (li, q) => li.dataset.text !== (q.text || '')
    && !li.contains(active), decorateTodo);
  // Moving a card (a new order) takes the focus out of it: give it back,
  // with the caret where it was.
  if (focusId && cards.todo.has(focusId) && active.isConnected && document.activeElement !== active) {
    active.focus({ preventScroll: true });
    if (selection) active.setSelectionRange(selection[0], selection[1]);
  }
  sync('done', $('#done'), doneList(), buildDone, (li, q) => li.dataset.sig !== `${q.text}\n${state.answers.get(q.id) || ''}`);

  const todoCount = cards.todo.size;
  $('#todo-count').textContent = String(todoCount);
  $('#todo-empty').hidden = todoCount > 0;
  $('#done-empty').hidden = cards.done.size > 0;
  document.title = todoCount
    ? t('guest.doc_title_count', { n: todoCount, title: state.event ? state.event.title : '' })
    : t('guest.doc_title_event', { title: state.event ? state.event.title : '' });

  if (focusId && !cards.todo.has(focusId)) {
    const next = todoEl.children[Math.min(focusIndex, todoEl.children.length - 1)];
    focusElement(next ? next.querySelector('h3') : $('#todo-title'));
  }
}

function upsert(q) {
  if (!q || !q.id) return;
  const before = state.questions.get(q.id);
  const counted = noteSupports(q.id, q.supports);
  if (before && before.updated_at && q.updated_at && q.updated_at < before.updated_at) {
    if (counted && state.ready) render();
    return;
  }
  state.questions.set(q.id, q);
  if (q.forwarded && !state.order.includes(q.id)) state.order.push(q.id);
  if (state.ready && isTodo(q) && (!before || !isTodo(before))) {
    announce(t('guest.new_question', { name: q.author || '' }));
  }
  if (state.ready) render();
}

async function refreshOrder() {
  const res = await api.get(api.eventPath(state.eventId, 'guest-queue'));
  applyOrder(res);
}

function applyOrder(res) {
  const qs = res.questions || [];
  state.order = qs.map((q) => q.id).concat(state.order.filter((id) => !qs.some((q) => q.id === id)));
  if ('now' in res) setNow(res.now);
  if (typeof res.cursor === 'string' && res.cursor) state.snapshotCursor = res.cursor;
  for (const q of qs) upsert(q);
  if (state.ready) render();
}

function setNow(now) {
  const before = state.now;
  state.now = typeof now === 'string' && now ? now : null;
  if (state.ready && state.now && state.now !== before) {
    const q = state.questions.get(state.now);
    if (q && isTodo(q)) announce(t('guest.now_announce', { name: q.author || '' }));
  }
}

// A `queue` frame: the moderators arranged the order, or marked the
// question being answered now. The stream's first connection replays the
// whole feed (so that answered questions are listed too): a frame at or
// before the snapshot's cursor is already in the snapshot, and older than it.
function onQueue(data, id) {
  if (!data || !Array.isArray(data.order)) return;
  if (id && state.snapshotCursor && cursorAtOrBefore(id, state.snapshotCursor)) return;
  const order = data.order.filter((id) => typeof id === 'string');
  state.order = order.concat(state.order.filter((id) => !order.includes(id)));
  setNow(data.now);
  if (state.ready) render();
}

// A `support` frame of the public stream: a published question's count.
function onSupport(data) {
  if (!data || typeof data.id !== 'string') return;
  if (noteSupports(data.id, data.supports) && state.ready && state.questions.has(data.id)) render();
}

// The staff stream restarts its history: forget the questions and take them
// again from GET guest-queue, merging the frames that follow the reset as
// they come. Nothing is drawn until then, so a card being answered (same id)
// keeps its text and focus; the draft is in sessionStorage anyway.
const onStaffReset = snapshotReloader({
  forget() {
    state.ready = false;
    state.questions.clear();
    state.order = [];
    state.now = null;
    state.snapshotCursor = null;
    state.supports.clear();
  },
  load: () => api.get(api.eventPath(state.eventId, 'guest-queue')),
  apply(res) {
    state.ready = true;
    applyOrder(res);
    render();
  },
  onFirstError(err) {
    state.ready = true;
    render();
    announce(errorText(err), 'error');
  },
});

function startStreams() {
  const conn = $('#connection');
  state.staffStream = new LiveStream(api.apiUrl(api.eventPath(state.eventId, 'staff/stream')), {
    pollUrl: api.apiUrl(api.eventPath(state.eventId, 'staff/poll')),
    types: ['question', 'erased', 'queue'],
    onReset: () => {
      onStaffReset();
    },
    onState: (s, info) => showConnection(conn, s, info),
    onFrame: (type, data, id) => {
      if (type === 'queue') return onQueue(data, id);
      if (type !== 'erased') return upsert(data);
      // A visitor erased their participation: their unpublished questions are gone.
      if (!Array.isArray(data.ids)) return undefined;
      for (const id of data.ids) state.questions.delete(id);
      state.order = state.order.filter((id) => !data.ids.includes(id));
      if (state.ready) render();
      return undefined;
    },
  });
  state.staffStream.start();

  const thread = new Thread($('#thread'), $('#thread-empty'), {
    onMessage: (msg) => {
      if (msg.kind === 'answer' && msg.reply_to && !state.answers.has(msg.reply_to)) {
        state.answers.set(msg.reply_to, msg.text || '');
        if (state.ready) render();
      }
    },
  });
  state.thread = thread;
  new LiveStream(api.apiUrl(api.eventPath(state.eventId, 'stream')), {
    pollUrl: api.apiUrl(api.eventPath(state.eventId, 'poll')),
    types: ['message', 'retract', 'author', 'support'],
    onReset: () => thread.reset(),
    onFrame: (type, data) => {
      if (type === 'support') onSupport(data);
      else thread.frame(type, data);
    },
  }).start();
}

function renderEvent() {
  const ev = state.event;
  const title = $('#page-title');
  title.removeAttribute('data-i18n');
  clear(title);
  title.append(t('guest.title_event'), ' ', h('span', { lang: safeLang((ev.languages || [])[0]), text: ev.title }));
  $('#public-link').href = api.pageUrl(`e/${encodeURIComponent(ev.id)}`);
  renderBrand($('#brand'), ev.brand || ev.branding, 'Palabre', ev.logo);
  applyBranding(ev.brand || ev.branding);
}

async function main() {
  i18n.init();
  $('#logout').addEventListener('click', async () => {
    await closeSession();
    window.location.href = api.pageUrl(state.eventId ? `e/${state.eventId}` : '');
  });
  if (!state.eventId) {
    $('#auth-problem').textContent = t('staff.no_session');
    return;
  }
  let reason = null;
  try {
    await openSession(state.eventId, ['guest', 'moderator', 'admin']);
  } catch (err) {
    reason = err.reason || 'network';
    $('#auth-problem').textContent = t(`staff.${reason}`);
  }
  try {
    state.event = await api.get(api.eventPath(state.eventId));
  } catch (err) {
    if (!reason) $('#auth-problem').textContent = errorText(err);
    return;
  }
  await i18n.setup(state.event.languages, $('#lang-switch'), state.event.time_zone || null);
  if (reason) {
    i18n.onChange(() => {
      $('#auth-problem').textContent = t(`staff.${reason}`);
    });
    return;
  }
  i18n.onChange(() => {
    renderEvent();
    for (const m of Object.values(cards)) {
      for (const li of m.values()) li.remove();
      m.clear();
    }
    render();
    renderPrepared();
    state.thread.relabel();
    if (state.staffStream) showConnection($('#connection'), state.staffStream.state, state.staffStream.stateInfo);
  });
  $('#logout').hidden = false;
  renderEvent();
  state.sort = loadSort();
  for (const input of document.querySelectorAll('input[name="guest-sort"]')) {
    input.checked = input.value === state.sort;
    input.addEventListener('change', () => {
      if (!input.checked) return;
      state.sort = input.value;
      saveSort(state.sort);
      render();
    });
  }
  $('#prepared-form').addEventListener('submit', onAddPrepared);
  $('#console').hidden = false;
  try {
    await refreshOrder();
  } catch (err) {
    announce(errorText(err), 'error');
  }
  state.ready = true;
  render();
  loadPrepared();
  startStreams();
  setInterval(() => refreshOrder().catch(() => {}), ORDER_REFRESH_MS);
}

main();
