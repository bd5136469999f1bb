// Palabre — the back-office's debate editor: one form that creates a debate
// (as a draft, or published at once) and edits every field of an existing
// one, with its times in the debate's own time zone and a live preview of
// its branding. A brand colour under which white text falls below 4.5:1
// (WCAG AA) is flagged here and refused by the server (contrast_too_low).

import * as api from './api.js';
import { h, $, clear, announce, focusElement, codePoints, contrastWithWhite } from './dom.js';
import { t } from './i18n.js';
import { fromZonedInput, toZonedInput, zoneList, isZone } from './admin_time.js';

const state = {
  editing: null,      // the event being edited, or null when creating
  siteZone: 'Europe/Paris',
  siteBrand: {},
  guestRows: 0,
  onSaved: () => {},
  errorText: (err) => String(err && err.message),
};

// ---- The form ------------------------------------------------------------------

function zone() {
  return $('#ev-zone').value || state.siteZone;
}

function fillZones(selected) {
  const select = $('#ev-zone');
  clear(select);
  select.append(h('option', { value: '', text: t('admin.zone_site', { zone: state.siteZone }) }));
  const zones = zoneList();
  if (selected && !zones.includes(selected)) zones.unshift(selected);
  for (const z of zones) select.append(h('option', { value: z, text: z }));
  select.value = selected || '';
}

function renderZoneHint() {
  $('#tz-hint').textContent = t('admin.zone_hint', { zone: zone() });
}

export function addGuestRow(guest = { name: '', role: '' }, focus = false) {
  const n = ++state.guestRows;
  const nameId = `guest-name-${n}`;
  const roleId = `guest-role-${n}`;
  const photoId = `guest-photo-${n}`;
  const remove = h('button', { type: 'button', class: 'danger', text: t('admin.remove_guest') });
  const li = h('li', { class: 'card guest-row' },
    h('div', { class: 'field' }, h('label', { for: nameId, text: t('admin.guest_name', { n }) }),
      h('input', { id: nameId, type: 'text', maxlength: 120, value: guest.name || '' })),
    h('div', { class: 'field' }, h('label', { for: roleId, text: t('admin.guest_role', { n }) }),
      h('input', { id: roleId, type: 'text', maxlength: 200, value: guest.role || '' })),
    h('div', { class: 'field' }, h('label', { for: photoId, text: t('admin.guest_photo', { n }) }),
      h('p', { id: `${photoId}-hint`, class: 'hint', text: t('admin.guest_photo_hint') }),
      h('input', { id: photoId, type: 'url', inputmode: 'url', spellcheck: 'false', maxlength: 500,
        'aria-describedby': `${photoId}-hint`, value: guest.photo_url || '' })),
    remove);
  remove.addEventListener('click', () => {
    li.remove();
    $('#add-guest').focus();
    renderPreview();
  });
  $('#guest-rows').append(li);
  if (focus) li.querySelector('input').focus();
}

/** What the preview and the body use: the form's branding over the site's. */
function brandFromForm() {
  const color = $('#ev-use-color').checked ? $('#ev-color').value.toLowerCase() : '';
  return {
    organiser: $('#ev-organiser').value.trim() || state.siteBrand.organiser || '',
    color: color || state.siteBrand.color || '',
  };
}

/** Says under a colour field whether white text reads on it (WCAG AA). */
export function showContrast(out, enabled, color) {
  if (!enabled) {
    out.textContent = '';
    out.className = 'hint';
    return;
  }
  const ratio = contrastWithWhite(color);
  const ok = ratio !== null && ratio >= 4.5;
  out.textContent = t(ok ? 'admin.contrast_ok' : 'admin.contrast_low', { ratio: ratio ? ratio.toFixed(1) : '?' });
  out.className = ok ? 'hint' : 'notice error';
}

function renderContrast() {
  showContrast($('#ev-contrast'), $('#ev-use-color').checked, $('#ev-color').value);
}

// A small card as the debate's page will show it: the header band in the
// brand colour with white text, the title, the date in the debate's zone.
function renderPreview() {
  renderContrast();
  const box = $('#ev-preview');
  clear(box);
  const brand = brandFromForm();
  const band = h('div', { class: 'preview-band', text: brand.organiser || 'Palabre' });
  if (brand.color) band.style.background = brand.color;
  const startsAt = fromZonedInput($('#ev-start').value, zone());
  let when = '';
  if (startsAt) {
    try {
      when = new Intl.DateTimeFormat(document.documentElement.lang || 'fr',
        // dateStyle cannot be combined with timeZoneName: the parts, then.
        { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit',
          timeZone: zone(), timeZoneName: 'short' }).format(new Date(startsAt));
    } catch (_) {
      when = startsAt;
    }
  }
  box.append(band,
    h('p', { class: 'preview-title', text: $('#ev-title').value.trim() || t('admin.preview_untitled') }),
    h('p', { class: 'msg-meta', text: when }),
    h('p', { text: $('#ev-description').value.trim() }));
}

function formBody() {
  const problems = [];
  const title = $('#ev-title').value.trim();
  if (!title) problems.push([$('#ev-title'), t('admin.need_title')]);
  else if (codePoints(title) > 200) problems.push([$('#ev-title'), t('admin.title_too_long')]);
  const z = zone();
  const startsAt = fromZonedInput($('#ev-start').value, z);
  const endsAt = fromZonedInput($('#ev-end').value, z);
  if (!startsAt) problems.push([$('#ev-start'), t('admin.bad_date')]);
  if (!endsAt) problems.push([$('#ev-end'), t('admin.bad_date')]);
  if (startsAt && endsAt && endsAt <= startsAt) problems.push([$('#ev-end'), t('admin.end_before_start')]);
  const languages = $('#ev-languages').value.split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);
  if (!languages.length || languages.some((l) => !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(l))) {
    problems.push([$('#ev-languages'), t('admin.bad_languages')]);
  }
  const id = $('#ev-id').value.trim();
  if (!state.editing && id && !/^[a-z0-9-]{3,64}$/.test(id)) problems.push([$('#ev-id'), t('admin.bad_id')]);
  const late = Number($('#ev-late').value || 0);
  if (!Number.isInteger(late) || late < 0 || late > 365) problems.push([$('#ev-late'), t('admin.bad_late')]);
  const guests = [];
  for (const row of document.querySelectorAll('#guest-rows li')) {
    const [name, role, photo] = Array.from(row.querySelectorAll('input')).map((i) => i.value.trim());
    if (photo && !/^https:\/\//.test(photo)) problems.push([row.querySelectorAll('input')[2], t('admin.bad_photo')]);
    if (name) guests.push(photo ? { name, role: role || '', photo_url: photo } : { name, role: role || '' });
  }
  // Editing replaces the whole branding object: fields left empty fall
  // back on the site's.
  const branding = {};
  if ($('#ev-use-color').checked) {
    branding.color = $('#ev-color').value.toLowerCase();
    const ratio = contrastWithWhite(branding.color);
    if (ratio === null || ratio < 4.5) problems.push([$('#ev-color'), t('admin.contrast_low', { ratio: ratio ? ratio.toFixed(1) : '?' })]);
  }
  const organiser = $('#ev-organiser').value.trim();
  if (organiser) branding.organiser = organiser;
  const logo = $('#ev-logo').value.trim();
  if (logo) {
    if (!/^https:\/\//.test(logo)) problems.push([$('#ev-logo'), t('admin.bad_logo')]);
    else branding.logo_url = logo;
  }
  const siteUrl = $('#ev-site-url').value.trim();
  if (siteUrl) {
    if (!/^https?:\/\//.test(siteUrl)) problems.push([$('#ev-site-url'), t('admin.bad_site_url')]);
    else branding.site_url = siteUrl;
  }
  const body = {
    title,
    description: $('#ev-description').value.trim(),
    starts_at: startsAt,
    ends_at: endsAt,
    time_zone: $('#ev-zone').value,
    languages,
    guests,
    questions_before: $('#ev-before').checked,
    late_questions_days: late,
    branding,
  };
  if (!state.editing) {
    body.moderation = 'pre';
    if (id) body.id = id;
  }
  return { body, problems };
}

function setDefaultDates() {
  const start = new Date(Date.now() + 86400000);
  start.setMinutes(0, 0, 0);
  $('#ev-start').value = toZonedInput(start.toISOString(), zone());
  $('#ev-end').value = toZonedInput(new Date(start.getTime() + 3600000).toISOString(), zone());
}

function resetForm() {
  state.editing = null;
  $('#create-form').reset();
  clear($('#guest-rows'));
  fillZones('');
  setDefaultDates();
  $('#ev-id').disabled = false;
  $('#create-title').textContent = t('admin.create');
  $('#save-draft').textContent = t('admin.save_draft');
  $('#save-publish').textContent = t('admin.create_publish');
  $('#save-publish').hidden = false;
  $('#edit-cancel').hidden = true;
  $('#create-error').textContent = '';
  renderZoneHint();
  renderPreview();
}

/** Opens the editor on an existing debate, every field filled in. */
export function editEvent(ev) {
  state.editing = ev;
  $('#create-form').reset();
  fillZones(ev.time_zone && ev.time_zone !== state.siteZone ? ev.time_zone : '');
  // A debate whose zone was the site's keeps following the site's.
  if (ev.time_zone && ev.time_zone === state.siteZone) $('#ev-zone').value = '';
  $('#ev-title').value = ev.title || '';
  $('#ev-description').value = ev.description || '';
  $('#ev-id').value = ev.id;
  $('#ev-id').disabled = true;
  $('#ev-start').value = toZonedInput(ev.starts_at, zone());
  $('#ev-end').value = toZonedInput(ev.ends_at, zone());
  $('#ev-languages').value = (ev.languages || []).join(', ');
  clear($('#guest-rows'));
  for (const g of ev.guests || []) addGuestRow(g);
  $('#ev-before').checked = ev.questions_before !== false;
  $('#ev-late').value = String(ev.late_questions_days || 0);
  const b = ev.branding || {};
  $('#ev-organiser').value = b.organiser || '';
  $('#ev-use-color').checked = Boolean(b.color);
  if (b.color && /^#[0-9a-f]{6}$/i.test(b.color)) $('#ev-color').value = b.color;
  $('#ev-logo').value = b.logo_url || '';
  $('#ev-site-url').value = b.site_url || '';
  $('#create-title').textContent = t('admin.edit_title', { title: ev.title });
  $('#save-draft').textContent = ev.status === 'draft' ? t('admin.save_draft') : t('admin.save_changes');
  $('#save-publish').textContent = t('admin.save_publish');
  $('#save-publish').hidden = ev.status !== 'draft';
  $('#edit-cancel').hidden = false;
  $('#create-error').textContent = '';
  renderZoneHint();
  renderPreview();
  focusElement($('#create-title'));
}

const saveKey = new api.FormKey();

async function save(publish) {
  const error = $('#create-error');
  error.textContent = '';
  for (const el of document.querySelectorAll('#create-form [aria-invalid]')) el.removeAttribute('aria-invalid');
  const { body, problems } = formBody();
  if (problems.length) {
    for (const [el] of problems) el.setAttribute('aria-invalid', 'true');
    error.textContent = problems.map(([, msg]) => msg).join(' ');
    problems[0][0].focus();
    return;
  }
  const buttons = document.querySelectorAll('#create-form button[type=submit], #save-publish');
  for (const b of buttons) b.disabled = true;
  try {
    let ev;
    if (state.editing) {
      if (publish) body.status = 'published';
      ev = await api.idempotent('PATCH', api.eventPath(state.editing.id), body);
      announce(t(publish ? 'admin.published' : 'admin.saved', { title: ev.title }), 'ok');
    } else {
      body.status = publish ? 'published' : 'draft';
      // Retried by itself after a transient failure, with the same key, and
      // the same form sent again after one reuses it: one debate, not two.
      ev = await api.idempotent('POST', 'events', body, { idempotencyKey: saveKey.for(body) });
      saveKey.settled(null);
      announce(t(publish ? 'admin.created' : 'admin.created_draft', { title: ev.title }), 'ok');
    }
    resetForm();
    await state.onSaved(ev);
  } catch (err) {
    if (!state.editing) saveKey.settled(err);
    error.textContent = err.code === 'contrast_too_low' ? t('admin.contrast_refused') : state.errorText(err);
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

/** The site's defaults changed (or were first read): the form falls back on them. */
export function setSiteDefaults(site) {
  state.siteZone = site && site.time_zone && isZone(site.time_zone) ? site.time_zone : 'Europe/Paris';
  state.siteBrand = { organiser: (site && site.organiser) || '', color: (site && site.color) || '' };
  const selected = $('#ev-zone').value;
  fillZones(selected);
  renderZoneHint();
  renderPreview();
}

export function redraw() {
  renderZoneHint();
  renderPreview();
  if (!state.editing) {
    $('#create-title').textContent = t('admin.create');
    $('#save-draft').textContent = t('admin.save_draft');
    $('#save-publish').textContent = t('admin.create_publish');
  }
}

export function wireEditor({ onSaved, errorText }) {
  state.onSaved = onSaved;
  state.errorText = errorText;
  fillZones('');
  setDefaultDates();
  $('#create-form').addEventListener('submit', (e) => {
    e.preventDefault();
    save(false);
  });
  $('#save-publish').addEventListener('click', () => save(true));
  $('#edit-cancel').addEventListener('click', () => {
    const id = state.editing && state.editing.id;
    resetForm();
    if (id) focusElement(document.getElementById(`ev-${id}`));
  });
  $('#add-guest').addEventListener('click', () => addGuestRow(undefined, true));
  // Times keep their wall-clock reading when the zone changes: the
  // organiser picks the zone the times they typed are in.
  $('#ev-zone').addEventListener('change', () => {
    renderZoneHint();
    renderPreview();
  });
  for (const id of ['#ev-title', '#ev-description', '#ev-start', '#ev-organiser', '#ev-color', '#ev-use-color']) {
    $(id).addEventListener('input', renderPreview);
    $(id).addEventListener('change', renderPreview);
  }
  renderZoneHint();
  renderPreview();
}
