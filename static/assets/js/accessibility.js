// Palabre — the accessibility statement (/accessibilite), written from
// GET /api/site's "accessibility" in the sections of the RGAA 4.1 model
// statement. A field the organiser left empty reads "Non renseigné", a
// debate never audited "Pas encore audité": the page never shows a blank.
// Everything is text; the two links the organiser gives (contact page,
// site) are used only when they are http(s) addresses.

import * as api from './api.js';
import { $, $all, h, clear, applyBranding, renderBrand } from './dom.js';
import * as i18n from './i18n.js';
import { t } from './i18n.js';

const STATUSES = ['none', 'partial', 'full'];
const EMAIL_RE = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

let site = null;

function httpUrl(text) {
  try {
    const u = new URL(text);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch (_) {
    return null;
  }
}

function text(value) {
  return typeof value === 'string' ? value.trim() : '';
}

/** "2026-11-23" in the page's language, or "" when not a date. */
function longDate(iso) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso || '')) return '';
  const d = new Date(`${iso}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(i18n.lang(), { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}

function render() {
  const a = site.accessibility || {};
  const organiser = text(site.organiser);
  $('#intro').textContent = organiser ? t('a11y.intro_org', { organiser }) : t('a11y.intro');
  const siteUrl = httpUrl(text(site.site_url)) || api.ROOT.href;
  $('#scope').textContent = t('a11y.scope', { site: siteUrl });

  const status = STATUSES.includes(a.status) ? a.status : 'none';
  $('#conformity').textContent = t(`a11y.status_${status}`);
  $('#conformity').dataset.status = status;

  const rate = typeof a.rate === 'number' && a.rate >= 0 && a.rate <= 100 ? a.rate : null;
  $('#results').textContent = rate === null ? t('a11y.results_none') : t('a11y.results_rate', {
    auditor: text(a.auditor) || t('a11y.unknown_auditor'),
    date: longDate(a.audit_date) || t('a11y.unknown_date'),
    rate: new Intl.NumberFormat(i18n.lang(), { maximumFractionDigits: 2 }).format(rate),
  });

  for (const p of $all('[data-field]')) {
    const value = text(a[p.dataset.field]);
    p.textContent = value || t('a11y.empty');
    p.classList.toggle('empty', !value);
  }
  const date = longDate(a.statement_date);
  $('#statement-date').textContent = date ? t('a11y.statement_date', { date }) : t('a11y.statement_date_none');

  const contact = $('#contact');
  clear(contact);
  const email = text(a.contact_email);
  if (EMAIL_RE.test(email)) {
    contact.append(h('li', {}, t('a11y.contact_email'), h('a', { href: `mailto:${email}`, text: email })));
  }
  const contactUrl = httpUrl(text(a.contact_url));
  if (contactUrl) contact.append(h('li', {}, h('a', { href: contactUrl, text: t('a11y.contact_url') })));
  if (!contact.children.length) contact.append(h('li', { text: t('a11y.contact_none') }));

  if (site.color) applyBranding({ color: site.color });
  renderBrand($('#brand'), { organiser }, 'Palabre', site.logo || null);
  $('#statement').hidden = false;
}

async function start() {
  try {
    site = await api.get('site');
  } catch (err) {
    $('#status').textContent = '';
    $('#page-error').textContent = t('a11y.load_failed');
    setTimeout(start, 10000);
    return;
  }
  $('#page-error').textContent = '';
  $('#status').removeAttribute('data-i18n');
  $('#status').textContent = '';
  render();
}

async function main() {
  i18n.init();
  await i18n.setup(null, $('#lang-switch'));
  i18n.onChange(() => {
    if (site) render();
  });
  start();
}

main();
