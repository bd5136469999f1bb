// Palabre — the back-office's site settings: the defaults every debate falls
// back on (organiser, colour, logo, link to the city's site, time zone),
// the licence of the open-data downloads, and the accessibility statement
// that /accessibilite shows (GET|PUT /api/site).

import * as api from './api.js';
import { $, h, clear, announce, contrastWithWhite } from './dom.js';
import { t } from './i18n.js';
import { showContrast } from './admin_editor.js';
import { zoneList } from './admin_time.js';

const STATEMENT_FIELDS = {
  auditor: '#a11y-auditor',
  non_compliant: '#a11y-non-compliant',
  derogations: '#a11y-derogations',
  exempt: '#a11y-exempt',
  technologies: '#a11y-technologies',
  test_environment: '#a11y-environment',
  tools: '#a11y-tools',
  pages_checked: '#a11y-pages',
  contact_email: '#a11y-email',
  contact_url: '#a11y-contact-url',
  audit_date: '#a11y-audit-date',
  statement_date: '#a11y-statement-date',
};

let onChanged = () => {};
let errorText = (err) => String(err && err.message);

function fillZones(selected) {
  const select = $('#site-zone');
  clear(select);
  const zones = zoneList();
  if (selected && !zones.includes(selected)) zones.unshift(selected);
  for (const z of zones) select.append(h('option', { value: z, text: z }));
  select.value = selected || 'Europe/Paris';
}

function renderContrast() {
  showContrast($('#site-contrast'), $('#site-use-color').checked, $('#site-color').value);
}

function fill(site) {
  $('#site-organiser').value = site.organiser || '';
  $('#site-use-color').checked = Boolean(site.color);
  if (site.color) $('#site-color').value = site.color;
  $('#site-logo').value = site.logo_url || '';
  $('#site-url').value = site.site_url || '';
  fillZones(site.time_zone);
  $('#site-licence-name').value = (site.licence && site.licence.name) || '';
  $('#site-licence-url').value = (site.licence && site.licence.url) || '';
  const a = site.accessibility || {};
  $('#a11y-status').value = a.status || 'none';
  $('#a11y-rate').value = a.rate === null || a.rate === undefined ? '' : String(a.rate);
  for (const [field, sel] of Object.entries(STATEMENT_FIELDS)) $(sel).value = a[field] || '';
  renderContrast();
}

function body() {
  const accessibility = { status: $('#a11y-status').value };
  const rate = $('#a11y-rate').value.trim();
  if (rate) accessibility.rate = Number(rate);
  for (const [field, sel] of Object.entries(STATEMENT_FIELDS)) accessibility[field] = $(sel).value.trim();
  const out = {
    organiser: $('#site-organiser').value.trim(),
    color: $('#site-use-color').checked ? $('#site-color').value.toLowerCase() : '',
    logo_url: $('#site-logo').value.trim(),
    site_url: $('#site-url').value.trim(),
    time_zone: $('#site-zone').value,
    accessibility,
  };
  const licenceName = $('#site-licence-name').value.trim();
  if (licenceName) out.licence = { name: licenceName, url: $('#site-licence-url').value.trim() };
  return out;
}

export async function loadSite() {
  try {
    const site = await api.get('site');
    fill(site);
    onChanged(site);
  } catch (err) {
    $('#site-error').textContent = errorText(err);
  }
}

async function onSave(e) {
  e.preventDefault();
  const error = $('#site-error');
  error.textContent = '';
  const b = body();
  if (b.color) {
    const ratio = contrastWithWhite(b.color);
    if (ratio === null || ratio < 4.5) {
      error.textContent = t('admin.contrast_refused');
      $('#site-color').focus();
      return;
    }
  }
  const button = e.target.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const site = await api.put('site', b);
    fill(site);
    onChanged(site);
    announce(t('admin.site_saved'), 'ok');
  } catch (err) {
    error.textContent = err.code === 'contrast_too_low' ? t('admin.contrast_refused') : errorText(err);
  } finally {
    button.disabled = false;
  }
}

export function wireSite(options) {
  onChanged = options.onChanged;
  errorText = options.errorText;
  fillZones('Europe/Paris');
  $('#site-form').addEventListener('submit', onSave);
  $('#site-color').addEventListener('input', renderContrast);
  $('#site-use-color').addEventListener('change', renderContrast);
}
