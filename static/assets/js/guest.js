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

import * as api from './api.js';
import { h, $, clear, announce, applyBranding, renderBrand, focusElement, codePoints, safeLang, syncKeyedList } from './dom.js';
import * as i18n from './i18n.js';
import { t } from './i18n.js';
import { LiveStream } from './stream.js';
import { showConnection } from './connection.js';
import { Thread } from './thread.js';
import { openSession, closeSession, snapshotReloader, staffErrorText } from './staff.js';

const MAX_CHARS = 2000;
const ORDER_REFRESH_MS = 20000;

const state = {
  eventId: api.eventIdFromPath(),
  event: null,
  questions: new Map(),
  order: [],
  answers: new Map(), // question id → answer text (ours, or seen on the public stream)
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

function isTodo(q) {
  return q.forwarded && !q.answered && !state.answers.has(q.id)
    && (q.status === 'pending' || q.status === 'published');
}

function isDone(q) {
  return (q.answered || state.answers.has(q.id)) && q.status !== 'retracted' && q.status !== 'rejected';
}

function questionHeader(q, headingId) {
  return [
    h('h3', { id: headingId, tabindex: '-1' },
      h('span', { text: t('guest.question_from') }), ' ',
      h('bdi', { class: 'msg-author', text: q.author || '' })),
    q.created_at ? h('p', { class: 'msg-meta' }, h('time', { datetime: q.created_at, text: i18n.formatTime(q.created_at) })) : null,
    h('p', { class: 'msg-text', dir: 'auto', lang: safeLang(q.lang), text: q.text || '' }),
  ];
}

function buildTodo(q) {
  const n = ++seq;
  const headingId = `todo-h-${n}`;
  const fieldId = `answer-${n}`;
  const counterId = `answer-count-${n}`;
  const errId = `answer-err-${n}`;
  const li = h('li', { class: 'card guest-card', dataset: { id: q.id } });
  const area = h('textarea', { id: fieldId, rows: 5, 'aria-describedby': `${counterId} ${errId}` });
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
  li.append(h('article', { 'aria-labelledby': headingId }, ...questionHeader(q, headingId), form));
  li.dataset.text = q.text || '';
  return li;
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

function todoList() {
  const rank = new Map(state.order.map((id, i) => [id, i]));
  return Array.from(state.questions.values()).filter(isTodo)
    .sort((a, b) => (rank.get(a.id) ?? 1e9) - (rank.get(b.id) ?? 1e9)
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
  if (active && todoEl.contains(active)) {
    const li = active.closest('li.card');
    focusId = li ? li.dataset.id : null;
    focusIndex = Array.from(todoEl.children).indexOf(li);
  }

  const sync = (kind, listEl, wanted, build, stale) => syncKeyedList(listEl, cards[kind], wanted, {
    create: build,
    update: (li, q) => (stale(li, q) ? build(q) : li),
  });
  // A to-do card is rebuilt only if the moderators edited the question, and
  // then the draft survives in sessionStorage.
  sync('todo', todoEl, todoList(), buildTodo, (li, q) => li.dataset.text !== (q.text || '')
    && !li.contains(document.activeElement));
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
  if (before && before.updated_at && q.updated_at && q.updated_at < before.updated_at) return;
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
  for (const q of qs) upsert(q);
  if (state.ready) render();
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
    types: ['question', 'erased'],
    onReset: () => {
      onStaffReset();
    },
    onState: (s, info) => showConnection(conn, s, info),
    onFrame: (type, data) => {
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
    types: ['message', 'retract', 'author'],
    onReset: () => thread.reset(),
    onFrame: (type, data) => thread.frame(type, data),
  }).start();
}

function renderEvent() {
  const ev = state.event;
  const title = $('#page-title');
  title.removeAttribute('data-i18n');
  clear(title);
  title.append(t('guest.title_event'), ' ', h('span', { lang: safeLang((ev.languages || [])[0]), text: ev.title }));
  $('#public-link').href = api.pageUrl(`e/${encodeURIComponent(ev.id)}`);
  renderBrand($('#brand'), ev.branding, 'Palabre', ev.logo);
  applyBranding(ev.branding);
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
  i18n.setup(state.event.languages, $('#lang-switch'));
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
    state.thread.relabel();
    if (state.staffStream) showConnection($('#connection'), state.staffStream.state, state.staffStream.stateInfo);
  });
  $('#logout').hidden = false;
  renderEvent();
  $('#console').hidden = false;
  try {
    await refreshOrder();
  } catch (err) {
    announce(errorText(err), 'error');
  }
  state.ready = true;
  render();
  startStreams();
  setInterval(() => refreshOrder().catch(() => {}), ORDER_REFRESH_MS);
}

main();
