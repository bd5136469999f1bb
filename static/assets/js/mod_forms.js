// Palabre — moderator console: the small forms inside an open question.
//
// Edit (the server keeps the original text), reject (a reason from the
// list, which the author sees, and a note for the team only), merge into
// another pending question, withdraw from the thread, ban the author (told
// or silent) and time the author out. Each form opens in the question's
// slot, takes the focus, closes with Escape or Cancel (focus back on the
// button that opened it), and shows its error next to its fields
// (role="alert"). What to send is the caller's (mod_detail.js `submitter`).

import { h, clear, codePoints } from './dom.js';
import { t } from './i18n.js';
import { REASONS } from './mod_store.js';
import { reasonText, shortTime } from './mod_rows.js';

export const MAX_CHARS = 2000;
const MAX_NOTE = 1000;
const TIMEOUTS = [60, 300, 900, 3600, 86400];

let seq = 0;

export function timeWords(iso) {
  return iso ? shortTime(iso) : '';
}

/** Shows or hides the "handled by" note of an open question whose form is open. */
export function setHeld(detail, text) {
  const p = detail.querySelector('.q-held');
  if (!p) return;
  p.textContent = text;
  p.hidden = !text;
}

function field(control, label, hint) {
  return h('div', { class: 'field' }, h('label', { for: control.id, text: label }), control,
    hint ? h('p', { class: 'hint', text: hint }) : null);
}

// The frame of every form: intro, fields, error, submit and cancel.
function makeForm(d, s, { action, intro, fields = [], controls = [], submitLabel, danger, validate, onSubmit }) {
  const slot = d.querySelector('.inline-slot');
  if (!slot) return null;
  clear(slot);
  d.dataset.formOpen = action;
  const errId = `qf-err-${++seq}`;
  const error = h('p', { id: errId, class: 'notice error', role: 'alert' });
  for (const c of controls) c.setAttribute('aria-describedby', errId);
  const submit = submitLabel ? h('button', { type: 'submit', class: danger ? 'danger' : 'primary', text: submitLabel }) : null;
  const cancel = h('button', { type: 'button', text: t('common.cancel') });
  const form = h('form', { class: 'inline-form', novalidate: true },
    intro ? h('p', { text: intro }) : null, ...fields, error, h('div', { class: 'actions' }, submit, cancel));
  let busy = false;
  const finish = () => {
    delete d.dataset.formOpen;
    clear(slot);
    s.closed(action);
  };
  cancel.addEventListener('click', () => {
    if (!busy) finish();
  });
  form.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    if (!busy) finish();
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy || !submit) return;
    error.textContent = '';
    for (const c of controls) c.removeAttribute('aria-invalid');
    const problem = validate ? validate() : null;
    if (problem) {
      error.textContent = problem.message;
      problem.field.setAttribute('aria-invalid', 'true');
      problem.field.focus();
      return;
    }
    busy = true;
    submit.setAttribute('aria-disabled', 'true');
    try {
      await onSubmit();
      busy = false;
      // Still shown (an edit, a ban): close the form. A decided question
      // has left its list already, and the list moved the focus.
      if (d.isConnected && d.dataset.formOpen === action) finish();
    } catch (err) {
      busy = false;
      submit.removeAttribute('aria-disabled');
      error.textContent = s.errorText(err);
      (controls[0] || submit).focus();
    }
  });
  slot.append(form);
  (controls[0] || submit || cancel).focus();
  return form;
}

export function openEdit(d, q, s) {
  const area = h('textarea', { id: `qf-text-${++seq}`, rows: 4 });
  area.value = q.text || '';
  makeForm(d, s, {
    action: 'edit',
    fields: [field(area, t('mod.edit_label'), t('mod.edit_hint'))],
    controls: [area],
    submitLabel: t('mod.save'),
    validate: () => {
      const v = area.value.trim();
      if (!v) return { field: area, message: t('error.text_empty') };
      if (codePoints(v) > MAX_CHARS) return { field: area, message: t('error.text_too_long', { n: MAX_CHARS }) };
      return null;
    },
    onSubmit: () => s.act(q.id, 'edit', { text: area.value.trim() }),
  });
  area.setSelectionRange(area.value.length, area.value.length);
}

export function openReject(d, q, s) {
  const n = ++seq;
  const reason = h('select', { id: `qf-reason-${n}` },
    REASONS.map((code) => h('option', { value: code, text: reasonText(code) })));
  const note = h('textarea', { id: `qf-note-${n}`, rows: 2 });
  makeForm(d, s, {
    action: 'reject',
    fields: [field(reason, t('mod.reject_reason_code')), field(note, t('mod.reject_note'))],
    controls: [reason, note],
    submitLabel: t('mod.reject_confirm'),
    danger: true,
    validate: () => (codePoints(note.value.trim()) > MAX_NOTE
      ? { field: note, message: t('error.text_too_long', { n: MAX_NOTE }) } : null),
    onSubmit: () => {
      const body = { reason: reason.value };
      if (note.value.trim()) body.note = note.value.trim();
      return s.act(q.id, 'reject', body);
    },
  });
}

export function openMerge(d, q, s) {
  const choices = s.pendingChoices(q);
  if (!choices.length) {
    makeForm(d, s, { action: 'merge', intro: t('mod.merge_none') });
    return;
  }
  const select = h('select', { id: `qf-into-${++seq}` }, choices.map((o) => h('option', {
    value: o.id,
    text: `${shortTime(o.created_at)} · ${o.author || ''} · ${String(o.text || '').replace(/\s+/g, ' ').slice(0, 90)}`,
  })));
  makeForm(d, s, {
    action: 'merge',
    intro: t('mod.merge_intro'),
    fields: [field(select, t('mod.merge_label'))],
    controls: [select],
    submitLabel: t('mod.merge_confirm'),
    onSubmit: () => s.act(q.id, 'merge', { into: select.value }),
  });
}

export function openRetract(d, q, s) {
  makeForm(d, s, {
    action: 'retract',
    intro: t('mod.retract_question'),
    submitLabel: t('mod.retract_confirm'),
    danger: true,
    onSubmit: () => s.act(q.id, 'retract'),
  });
}

export function openBan(d, q, s) {
  const n = ++seq;
  const reason = h('input', { id: `qf-ban-${n}`, type: 'text', maxlength: 500 });
  const told = h('input', { type: 'radio', id: `qf-told-${n}`, name: `qf-ban-mode-${n}`, value: 'told', checked: true });
  const silent = h('input', { type: 'radio', id: `qf-silent-${n}`, name: `qf-ban-mode-${n}`, value: 'silent' });
  const mode = h('fieldset', { class: 'mod-choices' }, h('legend', { text: t('mod.ban_mode') }),
    h('div', { class: 'mod-choice' }, told, h('label', { for: told.id, text: t('mod.ban_told') })),
    h('div', { class: 'mod-choice' }, silent, h('label', { for: silent.id, text: t('mod.ban_silent') })));
  makeForm(d, s, {
    action: 'ban',
    intro: t('mod.ban_question', { name: q.author || '' }),
    fields: [field(reason, t('mod.ban_reason')), mode],
    controls: [reason],
    submitLabel: t('mod.ban_confirm'),
    danger: true,
    onSubmit: () => s.ban(q, reason.value.trim(), silent.checked),
  });
}

export function openTimeout(d, q, s) {
  const select = h('select', { id: `qf-timeout-${++seq}` },
    TIMEOUTS.map((secs) => h('option', { value: String(secs), text: t(`mod.dur_${secs}`) })));
  select.value = '300';
  makeForm(d, s, {
    action: 'timeout',
    intro: t('mod.timeout_question', { name: q.author || '' }),
    fields: [field(select, t('mod.timeout_label'))],
    controls: [select],
    submitLabel: t('mod.timeout_confirm'),
    onSubmit: () => s.timeout(q, Number(select.value)),
  });
}
