// Palabre — the visitor page's languages of content (issue 12): which
// language a question is written in (a choice among the debate's, sent as
// its `lang`; the server refuses any other with unsupported_language), and
// whether the public thread shows every language or only the visitor's.
//
// The visitor's language is the interface's (i18n.lang()). Only questions
// are filtered: an answer sits inside its question and follows it;
// announcements and polls are for everyone. Both controls show only when the
// debate has two languages or more. The filter is remembered per debate
// through the page's own load/save.

import * as i18n from './i18n.js';
import { t } from './i18n.js';
import { $ } from './dom.js';

let languages = [];
let remember = { load: () => null, save: () => {} };
let chosen = null;   // the visitor's own choice in the select, if any
let onlyMine = false;

function primary(tag) {
  return String(tag || '').toLowerCase().split('-')[0];
}

function several() {
  return languages.length > 1;
}

/** The tag to send with a question: the visitor's choice, else the interface's (contentLang). */
export function questionLang() {
  if (chosen && languages.includes(chosen)) return chosen;
  return i18n.contentLang(languages);
}

function drawPicker() {
  const field = $('#question-lang-field');
  const select = $('#question-lang');
  if (!field || !select) return;
  field.hidden = !several();
  while (select.firstChild) select.removeChild(select.firstChild);
  for (const tag of languages) {
    const option = new Option(i18n.languageName(tag), tag);
    select.add(option);
  }
  select.value = questionLang();
}

function drawFilter() {
  const row = $('#thread-filter');
  const box = $('#thread-only-mine');
  if (!row || !box) return;
  row.hidden = !several();
  box.checked = several() && onlyMine;
  $('#thread-only-mine-label').textContent = t('visitor.only_my_lang', { lang: i18n.languageName(i18n.lang()) });
}

function hides(li) {
  if (!onlyMine || !several() || li.dataset.kind !== 'question') return false;
  if (li.dataset.lang === undefined) return false; // not yet marked (onMessage)
  return primary(li.dataset.lang) !== i18n.lang();
}

/** Shows or hides one top-level item of the thread by the filter. */
function place(li) {
  if (!li || li.parentElement !== $('#thread')) return;
  li.hidden = hides(li);
}

function applyAll() {
  const list = $('#thread');
  if (!list) return;
  for (const li of list.children) place(li);
}

/** A message just drawn in the thread (Thread's onMessage): mark its language, filter it. */
export function onMessage(msg) {
  if (!msg || msg.kind !== 'question') return;
  const li = $('#thread').querySelector(`:scope > li[data-id="${CSS.escape(msg.id)}"]`);
  if (!li) return;
  li.dataset.lang = msg.lang || '';
  place(li);
}

/** Once the event is known (and again when it changes). */
export function setup(event, store) {
  if (store) remember = store;
  languages = Array.isArray(event && event.languages) ? event.languages.slice() : [];
  onlyMine = Boolean(remember.load('only_my_lang', false));
  drawPicker();
  drawFilter();
  applyAll();
}

/** After an interface language change: names, the default choice, the filter. */
export function relabel() {
  drawPicker();
  drawFilter();
  applyAll();
}

export function bind() {
  const select = $('#question-lang');
  if (select) select.addEventListener('change', () => { chosen = select.value; });
  const box = $('#thread-only-mine');
  if (box) {
    box.addEventListener('change', () => {
      onlyMine = box.checked;
      remember.save('only_my_lang', onlyMine || null);
      applyAll();
    });
  }
}
