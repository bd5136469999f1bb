// Palabre — moderator console: keyboard shortcuts and their help dialog.
//
// Single keys, without Ctrl, Alt or Meta, and never while the focus is in a
// text field (input, textarea, select, contenteditable) or a dialog is
// open, so that typing and screen readers' own keys are left alone
// (WCAG 2.1.4): j/k or ↓/↑ move between lines (the arrows only inside a
// list), Enter/o opens or closes a line, p publishes, r rejects (with a
// reason), f forwards, e edits, n opens the next free question, x selects
// for a bulk rejection, Escape closes, ? shows the list. They can be turned
// off in the dialog (remembered in localStorage). The visible button
// "Raccourcis clavier" opens the same dialog, a native modal <dialog>.

import { $, h } from './dom.js';
import { t } from './i18n.js';
import * as queue from './mod_queue.js';
import * as detail from './mod_detail.js';
import { toggleOf } from './mod_rows.js';

const STORE_KEY = 'palabre.mod.shortcuts';
const KEYS = [
  ['j k ↓ ↑', 'mod.key_move'],
  ['{enter} o', 'mod.key_open'],
  ['p', 'mod.key_publish'],
  ['r', 'mod.key_reject'],
  ['f', 'mod.key_forward'],
  ['e', 'mod.key_edit'],
  ['n', 'mod.key_next'],
  ['x', 'mod.key_select'],
  ['{escape}', 'mod.key_close'],
  ['?', 'mod.key_help'],
];

let enabled = true;
let opener = null;

function readEnabled() {
  try {
    return window.localStorage.getItem(STORE_KEY) !== 'off';
  } catch (_) {
    return true;
  }
}

function isTextField(el) {
  if (!el || !el.tagName) return false;
  if (el.isContentEditable) return true;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  if (el.tagName !== 'INPUT') return false;
  return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(el.type);
}

function queueShown() {
  const panel = $('#panel-queue');
  return panel && !panel.hidden;
}

export function drawDialog() {
  const list = $('#shortcuts-list');
  list.replaceChildren(...KEYS.flatMap(([keys, label]) => [
    h('dt', {}, ...keys.split(' ').map((k) => h('kbd', { text: k.replace(/^\{(\w+)\}$/, (m, name) => t(`mod.kbd_${name}`)) }))),
    h('dd', { text: t(label) }),
  ]));
  $('#shortcuts-enabled').checked = enabled;
}

export function openDialog() {
  const dialog = $('#shortcuts-dialog');
  if (dialog.open) return;
  opener = document.activeElement;
  drawDialog();
  dialog.showModal();
  $('#shortcuts-close').focus();
}

function onKey(e) {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
  if ($('#shortcuts-dialog').open || isTextField(e.target)) return;
  const key = e.key;
  if (key === '?') {
    if (!enabled) return;
    e.preventDefault();
    openDialog();
    return;
  }
  if (!queueShown()) return;
  const inList = !!(e.target.closest && e.target.closest('.q-list'));
  if (key === 'Escape') {
    const li = detail.openLi();
    if (li) {
      e.preventDefault();
      detail.closeRow();
      toggleOf(li).focus();
    }
    return;
  }
  if (key === 'ArrowDown' || key === 'ArrowUp') {
    if (!inList || e.shiftKey) return;
    e.preventDefault();
    queue.move(key === 'ArrowDown' ? 1 : -1);
    return;
  }
  if (key === 'Enter') {
    // A button's own Enter clicks it; on a line's checkbox, Enter opens the line.
    if (!inList || !e.target.classList.contains('q-select')) return;
    e.preventDefault();
    detail.toggleRow(e.target.closest('li.q-row'));
    return;
  }
  if (!enabled || e.shiftKey || key.length !== 1) return;
  const row = queue.currentRow();
  switch (key) {
    case 'j':
    case 'k':
      e.preventDefault();
      queue.move(key === 'j' ? 1 : -1);
      break;
    case 'o':
      if (!row) return;
      e.preventDefault();
      detail.toggleRow(row);
      toggleOf(row).focus();
      break;
    case 'n':
      e.preventDefault();
      queue.openNext();
      break;
    case 'x':
      if (!row) return;
      e.preventDefault();
      queue.toggleSelect(row);
      break;
    case 'p':
    case 'r':
    case 'f':
    case 'e':
      if (!row) return;
      e.preventDefault();
      detail.shortcut(row, key);
      break;
    default:
  }
}

export function init() {
  enabled = readEnabled();
  const dialog = $('#shortcuts-dialog');
  $('#shortcuts-open').addEventListener('click', openDialog);
  $('#shortcuts-close').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    if (opener && opener.isConnected) opener.focus();
    opener = null;
  });
  $('#shortcuts-enabled').addEventListener('change', (e) => {
    enabled = e.target.checked;
    try {
      window.localStorage.setItem(STORE_KEY, enabled ? 'on' : 'off');
    } catch (_) {
      // Not remembered; still changed for this page.
    }
  });
  document.addEventListener('keydown', onKey);
}
