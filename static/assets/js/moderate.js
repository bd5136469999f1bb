// Palabre — moderator console (e/{id}/moderate).
//
// State is one map of questions (staff view, keyed by id), filled from
// GET queue and kept current by the staff stream, which sends the whole
// question object on every change ("upsert by id"). The stream is opened
// after the snapshot's cursor, so nothing falls between the two.
//
// Each list (pending, forwarded, published, rejected) is derived from that map
// and keeps one card element per question, updated in place, so that an open
// edit form or the keyboard focus survives other moderators' actions. When
// the focused card leaves its list, focus moves to the next card (or the
// list's heading) rather than to the top of the page.
//
// Every action sends an Idempotency-Key made for that click (api.idempotent),
// and a transient failure is retried by itself with the same key, so a
// publish whose answer was lost is not published twice. When the staff
// stream is reset (the server lost its history), the questions are fetched
// again with GET queue and the lists rebuilt from that.

import * as api from './api.js';
import { h, $, clear, announce, applyBranding, renderBrand, focusElement, codePoints, safeLang, syncKeyedList } from './dom.js';
import * as i18n from './i18n.js';
import { t } from './i18n.js';
import { LiveStream } from './stream.js';
import { showConnection } from './connection.js';
import { openSession, closeSession, snapshotReloader, staffErrorText } from './staff.js';

const MAX_CHARS = 2000;
const EXTEND_MINUTES = 15;

const state = {
  eventId: api.eventIdFromPath(),
  event: null,
  session: null,
  questions: new Map(),
  forwardOrder: [],
  banned: new Set(),
  stream: null,
  ready: false,
};

const LISTS = ['pending', 'forwarded', 'published', 'rejected'];
const cards = Object.fromEntries(LISTS.map((k) => [k, new Map()]));
let cardSeq = 0;

const errorText = (err) => staffErrorText(err, { conflict: 'mod.error_conflict', maxChars: MAX_CHARS });


// ---- Classification --------------------------------------------------------

function listOf(q) {
  const out = [];
  if (q.status === 'pending' && !q.forwarded) out.push('pending');
  if (q.forwarded && !q.answered && (q.status === 'pending' || q.status === 'published')) out.push('forwarded');
  if (q.status === 'published') out.push('published');
  if (q.status === 'rejected') out.push('rejected');
  return out;
}

function byCreated(a, b) {
  return String(a.created_at).localeCompare(String(b.created_at));
}

function byUpdatedDesc(a, b) {
  return String(b.updated_at || b.created_at).localeCompare(String(a.updated_at || a.created_at));
}

function orderedList(kind) {
  const qs = Array.from(state.questions.values()).filter((q) => listOf(q).includes(kind));
  if (kind === 'pending') return qs.sort(byCreated);
  if (kind === 'forwarded') {
    const rank = new Map(state.forwardOrder.map((id, i) => [id, i]));
    return qs.sort((a, b) => (rank.get(a.id) ?? 1e9) - (rank.get(b.id) ?? 1e9) || byCreated(a, b));
  }
  return qs.sort(byUpdatedDesc);
}

// ---- Cards -----------------------------------------------------------------

function signature(q, kind) {
  return JSON.stringify([kind, q.status, q.text, q.original_text || '', q.forwarded, q.answered,
    q.reject_reason || '', state.banned.has(q.visitor_id), i18n.lang()]);
}

function buildCard(q, kind) {
  const n = ++cardSeq;
  const headingId = `card-${kind}-${n}`;
  const li = h('li', { class: 'card', dataset: { id: q.id } });
  fillCard(li, q, kind, headingId);
  return li;
}

function fillCard(li, q, kind, headingId = li.dataset.headingId) {
  clear(li);
  li.dataset.headingId = headingId;
  li.dataset.sig = signature(q, kind);
  const article = h('article', { 'aria-labelledby': headingId });
  const heading = h('h3', { id: headingId, tabindex: '-1' },
    h('span', { class: 'visually-hidden', text: t('mod.question_by') }),
    h('bdi', { class: 'msg-author', text: q.author || '' }));
  article.append(heading);
  const meta = h('p', { class: 'msg-meta' });
  if (q.created_at) meta.append(h('time', { datetime: q.created_at, text: i18n.formatTime(q.created_at) }));
  if (q.lang) meta.append(h('span', { text: `(${q.lang})` }));
  if (q.forwarded && kind !== 'forwarded') meta.append(h('span', { class: 'badge', dataset: { status: 'forwarded' }, text: t('mod.badge_forwarded') }));
  if (q.answered) meta.append(h('span', { class: 'badge', dataset: { status: 'answered' }, text: t('mod.badge_answered') }));
  if (kind === 'forwarded' && q.status === 'published') meta.append(h('span', { class: 'badge', dataset: { status: 'published' }, text: t('status.published') }));
  if (state.banned.has(q.visitor_id)) meta.append(h('span', { class: 'badge', dataset: { status: 'banned' }, text: t('mod.badge_banned') }));
  article.append(meta);
  article.append(h('p', { class: 'msg-text', dir: 'auto', lang: safeLang(q.lang), text: q.text || '' }));
  if (q.original_text && q.original_text !== q.text) {
    article.append(h('p', { class: 'original' },
      h('span', { text: t('mod.original') }), ' ',
      h('span', { lang: safeLang(q.lang), text: q.original_text })));
  }
  if (kind === 'rejected' && q.reject_reason) {
    article.append(h('p', { class: 'original', text: t('mod.reason_was', { reason: q.reject_reason }) }));
  }

  const actions = h('div', { class: 'actions' });
  // Buttons of a card that is busy are marked aria-disabled rather than
  // disabled, so that the keyboard focus stays where it is meanwhile.
  const btn = (label, cls, fn) => h('button', {
    type: 'button',
    class: cls || null,
    'aria-describedby': headingId,
    text: label,
    on: {
      click: () => {
        if (!li.dataset.busy) fn();
      },
    },
  });
  if (kind === 'pending') {
    actions.append(
      btn(t('mod.publish'), 'primary', () => act(q.id, 'publish')),
      btn(t('mod.edit'), null, () => openEdit(li, q.id)),
      btn(t('mod.forward'), null, () => act(q.id, 'forward')),
      btn(t('mod.reject'), 'danger', () => openReject(li, q.id)),
    );
  } else if (kind === 'forwarded') {
    if (q.status === 'pending') {
      actions.append(
        btn(t('mod.publish'), 'primary', () => act(q.id, 'publish')),
        btn(t('mod.edit'), null, () => openEdit(li, q.id)),
        btn(t('mod.reject'), 'danger', () => openReject(li, q.id)),
      );
    } else {
      actions.append(btn(t('mod.retract'), 'danger', () => openRetract(li, q.id)));
    }
  } else if (kind === 'published') {
    if (!q.forwarded) actions.append(btn(t('mod.forward'), null, () => act(q.id, 'forward')));
    actions.append(btn(t('mod.retract'), 'danger', () => openRetract(li, q.id)));
  }
  if (kind !== 'rejected' && q.visitor_id && !state.banned.has(q.visitor_id)) {
    actions.append(btn(t('mod.ban'), 'danger', () => openBan(li, q.id)));
  }
  if (actions.childElementCount) article.append(actions);
  article.append(h('div', { class: 'inline-slot' }));
  li.append(article);
}

function cardHeading(li) {
  return li ? li.querySelector('h3') : null;
}

function slotOf(li) {
  return li.querySelector('.inline-slot');
}

function closeInline(li, focusHeading) {
  const slot = slotOf(li);
  if (slot) clear(slot);
  li.dataset.formOpen = '';
  const q = state.questions.get(li.dataset.id);
  // Changes that arrived while the form was open are applied now.
  for (const kind of LISTS) {
    if (cards[kind].get(li.dataset.id) === li && q && li.dataset.sig !== signature(q, kind)) fillCard(li, q, kind);
  }
  if (focusHeading) focusElement(cardHeading(li));
}

function setBusy(id, busy) {
  for (const kind of LISTS) {
    const li = cards[kind].get(id);
    if (!li) continue;
    if (busy) li.dataset.busy = '1';
    else delete li.dataset.busy;
    for (const b of li.querySelectorAll('.actions button')) {
      if (busy) b.setAttribute('aria-disabled', 'true');
      else b.removeAttribute('aria-disabled');
    }
  }
}

function inlineForm(li, { label, value, multiline, submitLabel, onSubmit, required, danger, question }) {
  const slot = slotOf(li);
  clear(slot);
  li.dataset.formOpen = '1';
  const n = ++cardSeq;
  const fieldId = `inline-${n}`;
  const errId = `inline-err-${n}`;
  const field = multiline
    ? h('textarea', { id: fieldId, rows: 4, 'aria-describedby': errId })
    : h('input', { id: fieldId, type: 'text', 'aria-describedby': errId, maxlength: 500 });
  field.value = value || '';
  const error = h('p', { id: errId, class: 'notice error', role: 'alert' });
  const cancel = h('button', { type: 'button', text: t('common.cancel') });
  const submit = h('button', { type: 'submit', class: danger ? 'danger' : 'primary', text: submitLabel });
  const form = h('form', { class: 'inline-form', novalidate: true },
    question ? h('p', { text: question }) : null,
    h('div', { class: 'field' }, h('label', { for: fieldId, text: label }), field),
    error,
    h('div', { class: 'actions' }, submit, cancel));
  const close = () => {
    if (!busy) closeInline(li, true);
  };
  let busy = false;
  cancel.addEventListener('click', close);
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = field.value.trim();
    if (required && !v) {
      error.textContent = t('error.text_empty');
      field.setAttribute('aria-invalid', 'true');
      field.focus();
      return;
    }
    if (multiline && codePoints(v) > MAX_CHARS) {
      error.textContent = t('error.text_too_long', { n: MAX_CHARS });
      field.focus();
      return;
    }
    if (busy) return;
    busy = true;
    submit.setAttribute('aria-disabled', 'true');
    try {
      await onSubmit(v);
      if (li.isConnected && li.dataset.formOpen) closeInline(li, false);
    } catch (err) {
      error.textContent = errorText(err);
      field.focus();
    } finally {
      busy = false;
      submit.removeAttribute('aria-disabled');
    }
  });
  slot.append(form);
  field.focus();
  if (multiline) field.setSelectionRange(field.value.length, field.value.length);
}

function openEdit(li, id) {
  const q = state.questions.get(id);
  inlineForm(li, {
    label: t('mod.edit_label'),
    value: q.text,
    multiline: true,
    required: true,
    submitLabel: t('mod.save'),
    onSubmit: async (text) => {
      const res = await api.idempotent('POST', api.eventPath(state.eventId, `questions/${encodeURIComponent(id)}/edit`), { text });
      li.dataset.formOpen = '';
      upsert(res.question);
      announce(t('mod.done_edit'), 'ok');
      focusElement(cardHeading(li));
    },
  });
}

function openReject(li, id) {
  inlineForm(li, {
    label: t('mod.reject_reason'),
    submitLabel: t('mod.reject_confirm'),
    danger: true,
    onSubmit: async (reason) => {
      await act(id, 'reject', reason ? { reason } : {}, true);
    },
  });
}

function openRetract(li, id) {
  const slot = slotOf(li);
  clear(slot);
  li.dataset.formOpen = '1';
  const confirm = h('button', { type: 'button', class: 'danger', text: t('mod.retract_confirm') });
  const cancel = h('button', { type: 'button', text: t('common.cancel') });
  const box = h('div', { class: 'inline-form', role: 'group', 'aria-label': t('mod.retract') },
    h('p', { text: t('mod.retract_question') }), h('div', { class: 'actions' }, confirm, cancel));
  cancel.addEventListener('click', () => closeInline(li, true));
  confirm.addEventListener('click', async () => {
    if (confirm.getAttribute('aria-disabled')) return;
    confirm.setAttribute('aria-disabled', 'true');
    await act(id, 'retract', undefined, false);
    // Still here: the retract failed (the error was announced); allow a retry.
    confirm.removeAttribute('aria-disabled');
    if (li.isConnected && li.dataset.formOpen && state.questions.get(id)?.status !== 'published') {
      closeInline(li, true);
    }
  });
  box.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') cancel.click();
  });
  slot.append(box);
  confirm.focus();
}

function openBan(li, id) {
  const q = state.questions.get(id);
  inlineForm(li, {
    question: t('mod.ban_question', { name: q.author || '' }),
    label: t('mod.ban_reason'),
    submitLabel: t('mod.ban_confirm'),
    danger: true,
    onSubmit: async (reason) => {
      await api.idempotent('POST', api.eventPath(state.eventId, 'bans'), { visitor_id: q.visitor_id, reason });
      state.banned.add(q.visitor_id);
      li.dataset.formOpen = '';
      render();
      announce(t('mod.done_ban', { name: q.author || '' }), 'ok');
    },
  });
}

async function act(id, action, body, throwErrors) {
  const path = api.eventPath(state.eventId, `questions/${encodeURIComponent(id)}/${action}`);
  setBusy(id, true);
  try {
    const res = await api.idempotent('POST', path, body || {});
    setBusy(id, false);
    for (const kind of LISTS) {
      const li = cards[kind].get(id);
      if (li) li.dataset.formOpen = '';
    }
    if (res && res.question) upsert(res.question);
    announce(t(`mod.done_${action}`), 'ok');
  } catch (err) {
    setBusy(id, false);
    if (throwErrors) throw err;
    announce(errorText(err), 'error');
    if (err.code === 'conflict' || err.code === 'not_found') refreshQueue();
  }
}

// ---- Rendering ---------------------------------------------------------------

function render() {
  // Remember where the keyboard focus is, to put it somewhere sensible if its
  // card leaves the list.
  const active = document.activeElement;
  let focusList = null;
  let focusIndex = -1;
  let focusId = null;
  for (const kind of LISTS) {
    const list = $(`#${kind}`);
    if (active && list.contains(active)) {
      const li = active.closest('li.card');
      focusList = kind;
      focusId = li ? li.dataset.id : null;
      focusIndex = Array.from(list.children).indexOf(li);
    }
  }

  for (const kind of LISTS) {
    const list = $(`#${kind}`);
    const wanted = orderedList(kind);
    syncKeyedList(list, cards[kind], wanted, {
      create: (q) => {
        const li = buildCard(q, kind);
        li.classList.add('fresh');
        setTimeout(() => li.classList.remove('fresh'), 1500);
        return li;
      },
      update: (li, q) => {
        if (li.dataset.formOpen) {
          // An open edit or reject form is left alone; only the text shown follows.
          const text = li.querySelector('.msg-text');
          if (text) text.textContent = q.text || '';
        } else if (li.dataset.sig !== signature(q, kind)) {
          const hadFocus = li.contains(document.activeElement);
          fillCard(li, q, kind);
          if (hadFocus) focusElement(cardHeading(li));
        }
        return li;
      },
    });
    $(`#${kind}-empty`).hidden = wanted.length > 0;
  }

  if (focusList && focusId && !cards[focusList].has(focusId)) {
    const list = $(`#${focusList}`);
    const next = list.children[Math.min(focusIndex, list.children.length - 1)];
    focusElement(next ? cardHeading(next) : $(`#${focusList}-title`) || $(`#${focusList}`));
  }
  renderCounters();
}

function renderCounters() {
  const counts = { pending: 0, forwarded: 0, published: 0, rejected: 0 };
  for (const q of state.questions.values()) for (const k of listOf(q)) counts[k]++;
  for (const [k, v] of Object.entries(counts)) $(`#count-${k}`).textContent = String(v);
  document.title = counts.pending
    ? t('mod.doc_title_count', { n: counts.pending, title: state.event ? state.event.title : '' })
    : t('mod.doc_title_event', { title: state.event ? state.event.title : '' });
}

function renderEvent() {
  const ev = state.event;
  if (!ev) return;
  const title = $('#page-title');
  title.removeAttribute('data-i18n');
  clear(title);
  title.append(t('mod.title_event'), ' ', h('span', { lang: safeLang((ev.languages || [])[0]), text: ev.title }));
  const phase = $('#phase');
  phase.dataset.phase = ev.phase;
  phase.textContent = t(`phase.${ev.phase}`);
  $('#ends').textContent = t('mod.ends_at', { when: i18n.formatDateTime(ev.ends_at) });
  $('#public-link').href = api.pageUrl(`e/${encodeURIComponent(ev.id)}`);
  renderBrand($('#brand'), ev.branding, 'Palabre', ev.logo);
  applyBranding(ev.branding);
  renderCounters();
}

// ---- Data --------------------------------------------------------------------

let arrivals = 0;
let arrivalTimer = null;

function upsert(q, quiet) {
  if (!q || !q.id) return;
  const before = state.questions.get(q.id);
  if (before && before.updated_at && q.updated_at && q.updated_at < before.updated_at) return;
  state.questions.set(q.id, q);
  if (q.forwarded && !state.forwardOrder.includes(q.id)) state.forwardOrder.push(q.id);
  // Not while the lists are being rebuilt after a reset: the replayed history
  // would be read out as a flood of "new" questions.
  if (!before && q.status === 'pending' && !quiet && state.ready) {
    arrivals++;
    clearTimeout(arrivalTimer);
    arrivalTimer = setTimeout(() => {
      announce(arrivals === 1 ? t('mod.new_question', { name: q.author || '' }) : t('mod.new_questions', { n: arrivals }));
      arrivals = 0;
    }, 800);
  }
  if (state.ready) render();
}

async function refreshQueue() {
  const res = await api.get(api.eventPath(state.eventId, 'queue'));
  return applyQueue(res);
}

function applyQueue(res) {
  state.forwardOrder = (res.forwarded || []).map((q) => q.id);
  for (const q of [...(res.pending || []), ...(res.forwarded || []), ...(res.recent || [])]) upsert(q, true);
  render();
  return res.cursor;
}

// The staff stream restarts its history (its cursor was lost, e.g. Redis lost
// its data): forget every question and take them again from GET queue; the
// frames that follow the reset are merged as they come (upsert keeps the
// newest version of each). Nothing is drawn until the snapshot is in, so the
// cards that survive keep their open forms and focus. If the snapshot cannot
// be had, what the stream brings is shown, and the snapshot is tried again.
const onStaffReset = snapshotReloader({
  forget() {
    state.ready = false;
    state.questions.clear();
    state.forwardOrder = [];
    state.banned.clear();
  },
  async load() {
    const res = await api.get(api.eventPath(state.eventId, 'queue'));
    await loadBans();
    return res;
  },
  apply(res) {
    state.ready = true;
    applyQueue(res);
  },
  onFirstError(err) {
    state.ready = true;
    render();
    announce(errorText(err), 'error');
  },
});

function startStream(cursor) {
  const conn = $('#connection');
  state.stream = new LiveStream(api.apiUrl(api.eventPath(state.eventId, 'staff/stream')), {
    pollUrl: api.apiUrl(api.eventPath(state.eventId, 'staff/poll')),
    types: ['question', 'ban', 'erased'],
    lastEventId: cursor || null,
    onReset: () => {
      onStaffReset();
    },
    onState: (s, info) => showConnection(conn, s, info),
    onFrame: (type, data) => {
      if (type === 'question') upsert(data);
      else if (type === 'erased' && Array.isArray(data.ids)) {
        // A visitor erased their participation: their unpublished questions are gone.
        for (const id of data.ids) state.questions.delete(id);
        state.forwardOrder = state.forwardOrder.filter((id) => !data.ids.includes(id));
        render();
      } else if (type === 'ban' && data.visitor_id) {
        state.banned.add(data.visitor_id);
        render();
      }
    },
  });
  state.stream.start();
}

async function loadBans() {
  try {
    const res = await api.get(api.eventPath(state.eventId, 'bans'));
    for (const b of res.bans || []) state.banned.add(b.visitor_id);
  } catch (_) {
    // Only used for badges.
  }
}

async function loadEvent() {
  state.event = await api.get(api.eventPath(state.eventId));
  renderEvent();
}

// Sending the same announcement again after a failure whose outcome is
// unknown reuses its key: it cannot be published twice.
const announceKey = new api.FormKey();

async function onAnnounce(e) {
  e.preventDefault();
  const area = $('#announce-text');
  const err = $('#announce-error');
  const text = area.value.trim();
  err.textContent = '';
  if (!text) {
    err.textContent = t('error.text_empty');
    area.focus();
    return;
  }
  const button = e.target.querySelector('button[type=submit]');
  button.disabled = true;
  const body = { text, lang: i18n.contentLang(state.event.languages) };
  try {
    await api.idempotent('POST', api.eventPath(state.eventId, 'announcements'), body,
      { idempotencyKey: announceKey.for(body) });
    announceKey.settled(null);
    area.value = '';
    announce(t('mod.done_announce'), 'ok');
  } catch (error) {
    announceKey.settled(error);
    err.textContent = errorText(error);
    area.focus();
  } finally {
    button.disabled = false;
  }
}

async function onExtend() {
  const ev = state.event;
  const base = Math.max(Date.now(), Date.parse(ev.ends_at) || Date.now());
  const endsAt = new Date(base + EXTEND_MINUTES * 60000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const button = $('#extend');
  button.disabled = true;
  try {
    state.event = await api.idempotent('PATCH', api.eventPath(state.eventId), { ends_at: endsAt });
    renderEvent();
    announce(t('mod.done_extend', { when: i18n.formatDateTime(state.event.ends_at) }), 'ok');
  } catch (err) {
    announce(errorText(err), 'error');
  } finally {
    button.disabled = false;
  }
}

function showProblem(reason) {
  const box = $('#auth-problem');
  box.textContent = t(`staff.${reason}`);
}

async function main() {
  i18n.init();
  $('#announce-form').addEventListener('submit', onAnnounce);
  $('#extend').addEventListener('click', onExtend);
  $('#logout').addEventListener('click', async () => {
    if (state.stream) state.stream.stop();
    await closeSession();
    window.location.href = api.pageUrl(state.eventId ? `e/${state.eventId}` : '');
  });
  if (!state.eventId) {
    showProblem('no_session');
    return;
  }
  try {
    state.session = await openSession(state.eventId, ['moderator', 'admin']);
  } catch (err) {
    showProblem(err.reason || 'network');
    try {
      state.event = await api.get(api.eventPath(state.eventId));
      i18n.setup(state.event.languages, $('#lang-switch'));
      i18n.onChange(() => showProblem(err.reason || 'network'));
    } catch (_) {
      // The explanation is enough.
    }
    return;
  }
  $('#logout').hidden = false;
  try {
    await loadEvent();
  } catch (err) {
    $('#auth-problem').textContent = errorText(err);
    return;
  }
  i18n.setup(state.event.languages, $('#lang-switch'));
  i18n.onChange(() => {
    renderEvent();
    render();
    if (state.stream) showConnection($('#connection'), state.stream.state, state.stream.stateInfo);
  });
  renderEvent();
  $('#console').hidden = false;
  await loadBans();
  let cursor = null;
  try {
    cursor = await refreshQueue();
  } catch (err) {
    announce(errorText(err), 'error');
  }
  state.ready = true;
  render();
  startStream(cursor);
  setInterval(() => loadEvent().catch(() => {}), 30000);
}

main();
