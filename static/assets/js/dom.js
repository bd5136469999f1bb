// Palabre — small DOM helpers shared by the pages.
//
// Everything that comes from the API (and above all what visitors write) is
// inserted as text nodes: h() sets textContent and attributes, never HTML.

/**
 * h('button', {class: 'primary', type: 'button', text: 'OK', on: {click: f}}, child…)
 * Props: class, text, on (event listeners), hidden, dataset (object); any other
 * key becomes an attribute (null/undefined/false skipped, true → "").
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'on') {
      for (const [type, fn] of Object.entries(value)) el.addEventListener(type, fn);
    } else if (key === 'dataset') {
      for (const [k, v] of Object.entries(value)) el.dataset[k] = v;
    } else if (key === 'hidden') el.hidden = true;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

export function $all(selector, root = document) {
  return Array.from(root.querySelectorAll(selector));
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

export function setText(node, text) {
  if (node) node.textContent = text == null ? '' : String(text);
}

const LANG_RE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;

/** A BCP 47 tag safe to put in a lang attribute, or null. */
export function safeLang(tag) {
  return typeof tag === 'string' && LANG_RE.test(tag) ? tag : null;
}

let statusTimer = null;

/**
 * Say something in the page's role="status" region (#status): polite, read
 * once by screen readers and shown to everyone.
 */
export function announce(message, kind = 'info') {
  const region = document.getElementById('status');
  if (!region) return;
  clearTimeout(statusTimer);
  region.dataset.kind = kind;
  region.className = `notice ${kind === 'error' ? 'error' : kind === 'ok' ? 'ok' : ''}`.trim();
  // Clear then set, so that the same sentence twice is read twice.
  region.textContent = '';
  window.setTimeout(() => {
    region.textContent = message;
  }, 30);
  if (kind !== 'error') {
    statusTimer = window.setTimeout(() => {
      region.textContent = '';
    }, 12000);
  }
}

/** Show an error in a given notice element (role="alert" or "status" set in HTML). */
export function showError(node, message) {
  if (!node) return;
  node.textContent = message || '';
  node.hidden = !message;
}

function channel(hex) {
  const c = parseInt(hex, 16) / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function luminance(color) {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color || '');
  if (!m) return null;
  return 0.2126 * channel(m[1]) + 0.7152 * channel(m[2]) + 0.0722 * channel(m[3]);
}

/**
 * White text on `color` (#rrggbb): its WCAG contrast ratio (1–21), or null
 * for no colour. The server refuses a brand colour below 4.5
 * (domain/colour.hpp); the back-office says so first.
 */
export function contrastWithWhite(color) {
  const lum = luminance(color);
  return lum === null ? null : 1.05 / (lum + 0.05);
}

/**
 * Apply the organiser's branding colour: --brand is the colour, --brand-text
 * black or white, whichever gives the higher contrast (always ≥ 4.5:1).
 */
export function applyBranding(branding) {
  const color = branding && typeof branding.color === 'string' ? branding.color : null;
  const text = textColourOn(color);
  if (!text) return;
  const root = document.documentElement;
  root.style.setProperty('--brand', color.toLowerCase());
  root.style.setProperty('--brand-text', text);
}

/** '#ffffff' or '#000000', whichever contrasts more with `color`; null for no colour. */
export function textColourOn(color) {
  const lum = luminance(color);
  if (lum === null) return null;
  return 1.05 / (lum + 0.05) >= (lum + 0.05) / 0.05 ? '#ffffff' : '#000000';
}

/**
 * Header brand block: optional logo and organiser name, a link back to the
 * organiser's own site when `branding.site_url` is set. Pass the event's
 * `brand` (its branding over the site's defaults). `logo` is the event's
 * `logo` (the copy Palabre serves, GET /api/events/{id}/logo), never
 * branding.logo_url: pages ask no third party. Only its path is used, so the
 * image always comes from this page's own origin (CSP img-src 'self').
 */
export function renderBrand(container, branding, fallbackName, logo) {
  if (!container) return;
  clear(container);
  const organiser = branding && typeof branding.organiser === 'string' ? branding.organiser : '';
  let src = null;
  if (typeof logo === 'string' && logo) {
    try {
      const u = new URL(logo, window.location.href);
      src = u.pathname + u.search;
    } catch (_) {
      src = null;
    }
  }
  // The name is written next to it: the logo adds nothing for a screen reader.
  const parts = [src ? h('img', { src, alt: '', width: 120, height: 40 }) : null,
    h('span', { text: organiser || fallbackName || 'Palabre' })];
  // The link back to the body's own site (branding.site_url, else the site's).
  const site = branding && typeof branding.site_url === 'string' && /^https?:\/\//.test(branding.site_url) ? branding.site_url : '';
  if (site) container.append(h('a', { href: site, class: 'brand-link' }, ...parts));
  else container.append(...parts.filter(Boolean));
}

/** Move keyboard focus to an element, making it focusable if needed. */
export function focusElement(el) {
  if (!el) return;
  if (!el.hasAttribute('tabindex') && !/^(A|BUTTON|INPUT|TEXTAREA|SELECT)$/.test(el.tagName)) {
    el.setAttribute('tabindex', '-1');
  }
  el.focus({ preventScroll: false });
}

/** Copy text to the clipboard; falls back to selecting an input. */
export async function copyText(text, input) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (_) {
    if (input) {
      input.focus();
      input.select();
      try {
        return document.execCommand('copy');
      } catch (__) {
        return false;
      }
    }
    return false;
  }
}

/** Count characters the way the server does (Unicode code points). */
export function codePoints(text) {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

// Makes listEl show `wanted` (objects with an id), in order, keeping one
// element per id in `elements` (a Map): elements of ids no longer wanted are
// removed, new ids get create(item), kept ones go through update(el, item),
// which returns the element to show (itself, or a replacement). Elements are
// moved, not rebuilt, so focus and open forms survive a refresh.
export function syncKeyedList(listEl, elements, wanted, { create, update }) {
  const ids = new Set(wanted.map((item) => item.id));
  for (const [id, el] of elements) {
    if (!ids.has(id)) {
      el.remove();
      elements.delete(id);
    }
  }
  wanted.forEach((item, i) => {
    let el = elements.get(item.id);
    if (!el) {
      el = create(item);
    } else {
      const next = update(el, item);
      if (next !== el) el.replaceWith(next);
      el = next;
    }
    elements.set(item.id, el);
    if (listEl.children[i] !== el) listEl.insertBefore(el, listEl.children[i] || null);
  });
}
