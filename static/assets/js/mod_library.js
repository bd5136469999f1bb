// Palabre — moderator console: the debate's library of prepared answers
// (GET/POST/PATCH/DELETE prepared-answers), written before the event by
// moderators and guests; the guest inserts one into an answer, edits it and
// publishes it. Here: add, edit (in place, one at a time) and delete (after
// a confirmation). Loaded when the tab is first shown, and again on demand.

import * as api from './api.js';
import { $, h, clear, announce, codePoints, safeLang, focusElement } from './dom.js';
import { t } from './i18n.js';
import { state } from './mod_store.js';
import { errorText } from './mod_detail.js';
import { MAX_CHARS } from './mod_forms.js';

const MAX_TITLE = 200;
let items = [];
let loaded = false;
let editing = null; // id of the answer being edited
const createKey = new api.FormKey();

const path = (id) => api.eventPath(state.eventId, id ? `prepared-answers/${encodeURIComponent(id)}` : 'prepared-answers');

function check(title, text, titleField, textField) {
  if (!title) return { field: titleField, message: t('mod.pa_title_required') };
  if (codePoints(title) > MAX_TITLE) return { field: titleField, message: t('error.text_too_long', { n: MAX_TITLE }) };
  if (!text) return { field: textField, message: t('error.text_empty') };
  if (codePoints(text) > MAX_CHARS) return { field: textField, message: t('error.text_too_long', { n: MAX_CHARS }) };
  return null;
}

function langOptions(select, value) {
  clear(select);
  for (const tag of (state.event && state.event.languages) || []) select.add(new Option(tag, tag));
  if (value) select.value = value;
}

export function setLanguages() {
  langOptions($('#pa-lang'), $('#pa-lang').value);
}

function draw() {
  const list = $('#library-list');
  list.replaceChildren(...items.map((a) => (a.id === editing ? editItem(a) : viewItem(a))));
  $('#library-empty').hidden = items.length > 0;
}

function viewItem(a) {
  const li = h('li', { class: 'library-item', dataset: { id: a.id } });
  const headingId = `pa-h-${a.id}`;
  li.append(
    h('h4', { id: headingId, text: a.title || '' }),
    h('p', { class: 'msg-text', dir: 'auto', lang: safeLang(a.lang), text: a.text || '' }),
    h('p', { class: 'hint', text: [a.lang, a.created_by ? t('mod.pa_by', { who: a.created_by }) : ''].filter(Boolean).join(' · ') }),
    h('div', { class: 'actions' },
      h('button', { type: 'button', 'aria-describedby': headingId, dataset: { do: 'edit' }, text: t('mod.edit') }),
      h('button', { type: 'button', class: 'danger', 'aria-describedby': headingId, dataset: { do: 'delete' }, text: t('mod.pa_delete') })),
    h('div', { class: 'inline-slot' }));
  return li;
}

function editItem(a) {
  const n = a.id;
  const title = h('input', { type: 'text', id: `pa-edit-title-${n}`, value: a.title || '' });
  const text = h('textarea', { id: `pa-edit-text-${n}`, rows: 4 });
  text.value = a.text || '';
  const lang = h('select', { id: `pa-edit-lang-${n}` });
  langOptions(lang, a.lang);
  const error = h('p', { class: 'notice error', role: 'alert', id: `pa-edit-err-${n}` });
  for (const c of [title, text]) c.setAttribute('aria-describedby', error.id);
  const form = h('form', { class: 'inline-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: title.id, text: t('mod.pa_title') }), title),
    h('div', { class: 'field' }, h('label', { for: text.id, text: t('mod.pa_text') }), text),
    h('div', { class: 'field' }, h('label', { for: lang.id, text: t('mod.pa_lang') }), lang),
    error,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: t('mod.save') }),
      h('button', { type: 'button', dataset: { do: 'cancel' }, text: t('common.cancel') })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { title: title.value.trim(), text: text.value.trim(), lang: lang.value };
    const problem = check(body.title, body.text, title, text);
    if (problem) {
      error.textContent = problem.message;
      problem.field.focus();
      return;
    }
    try {
      const updated = await api.idempotent('PATCH', path(a.id), body);
      items = items.map((x) => (x.id === a.id ? updated : x));
      editing = null;
      draw();
      focusElement($(`#library-list li[data-id="${CSS.escape(a.id)}"] [data-do="edit"]`));
      announce(t('mod.pa_saved', { title: body.title }), 'ok');
    } catch (err) {
      error.textContent = errorText(err);
    }
  });
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      stopEditing(a.id);
    }
  });
  return h('li', { class: 'library-item', dataset: { id: a.id } }, form);
}

function stopEditing(id) {
  editing = null;
  draw();
  focusElement($(`#library-list li[data-id="${CSS.escape(id)}"] [data-do="edit"]`));
}

function confirmDelete(li, a) {
  const slot = li.querySelector('.inline-slot');
  const yes = h('button', { type: 'button', class: 'danger', text: t('mod.pa_delete_yes') });
  const no = h('button', { type: 'button', text: t('common.cancel') });
  const box = h('div', { class: 'inline-form', role: 'group', 'aria-label': t('mod.pa_delete') },
    h('p', { text: t('mod.pa_delete_confirm', { title: a.title || '' }) }), h('div', { class: 'actions' }, yes, no));
  no.addEventListener('click', () => {
    clear(slot);
    focusElement(li.querySelector('[data-do="delete"]'));
  });
  box.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') no.click();
  });
  yes.addEventListener('click', async () => {
    if (yes.getAttribute('aria-disabled')) return;
    yes.setAttribute('aria-disabled', 'true');
    try {
      await api.idempotent('DELETE', path(a.id));
      const index = items.indexOf(a);
      items = items.filter((x) => x !== a);
      draw();
      const next = $('#library-list').children[Math.min(index, items.length - 1)];
      focusElement(next ? next.querySelector('h4') : $('#library-title'));
      announce(t('mod.pa_deleted'), 'ok');
    } catch (err) {
      yes.removeAttribute('aria-disabled');
      announce(errorText(err), 'error');
    }
  });
  clear(slot);
  slot.append(box);
  no.focus();
}

async function create(e) {
  e.preventDefault();
  const title = $('#pa-title');
  const text = $('#pa-text');
  const error = $('#pa-error');
  const body = { title: title.value.trim(), text: text.value.trim(), lang: $('#pa-lang').value };
  error.textContent = '';
  const problem = check(body.title, body.text, title, text);
  if (problem) {
    error.textContent = problem.message;
    problem.field.focus();
    return;
  }
  const button = $('#pa-submit');
  if (button.getAttribute('aria-disabled')) return;
  button.setAttribute('aria-disabled', 'true');
  try {
    const created = await api.idempotent('POST', path(), body, { idempotencyKey: createKey.for(body) });
    createKey.settled(null);
    if (created && created.id && !items.some((x) => x.id === created.id)) items.push(created);
    title.value = '';
    text.value = '';
    draw();
    announce(t('mod.pa_saved', { title: body.title }), 'ok');
  } catch (err) {
    createKey.settled(err);
    error.textContent = errorText(err);
  } finally {
    button.removeAttribute('aria-disabled');
  }
}

export async function load() {
  try {
    const res = await api.get(path());
    items = Array.isArray(res && res.items) ? res.items : [];
    loaded = true;
    $('#library-load-error').textContent = '';
    if (!editing) draw();
  } catch (err) {
    $('#library-load-error').textContent = errorText(err);
  }
}

/** The tab is shown: load once. */
export function shown() {
  if (!loaded) load();
}

export function relabel() {
  if (loaded && !editing) draw();
}

export function init() {
  $('#library-form').addEventListener('submit', create);
  setLanguages();
  $('#library-list').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-do]');
    if (!b) return;
    const li = b.closest('li');
    const a = items.find((x) => x.id === li.dataset.id);
    if (!a) return;
    if (b.dataset.do === 'edit') {
      editing = a.id;
      draw();
      $(`#pa-edit-title-${CSS.escape(a.id)}`).focus();
    } else if (b.dataset.do === 'delete') {
      confirmDelete(li, a);
    } else if (b.dataset.do === 'cancel') {
      stopEditing(a.id);
    }
  });
}
