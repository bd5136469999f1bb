// Palabre — the back-office's "Put it on your site" panel for one debate:
// the one-line script (/embed.js), the bare iframe, a plain link and a
// button, each ready to copy, with a live preview of the embedded view.
// Browsers show the frame on the city's site only when its origin is in
// PALABRE_EMBED_ORIGINS (docs/OPERATIONS.md); the preview here is framed by
// Palabre's own origin, which is always allowed.

import * as api from './api.js';
import { h, clear, announce, copyText, focusElement } from './dom.js';
import { snippets as snippetsFor } from './embed_snippets.js';
import { t } from './i18n.js';

/** The four ways to put the debate on a page, as HTML to paste (embed_snippets.js). */
export function snippets(ev, base = api.ROOT.href) {
  return snippetsFor(base, ev.id, {
    title: ev.title,
    label: t('admin.embed_button_text'),
    // `brand`: the debate's branding with the site's defaults filled in.
    colour: (ev.brand && ev.brand.color) || (ev.branding && ev.branding.color) || '',
  });
}

function copyBlock(id, label, hint, value) {
  const area = h('textarea', { id, class: 'snippet', readonly: true, rows: 3, spellcheck: 'false', 'aria-describedby': `${id}-hint` });
  area.value = value;
  const button = h('button', { type: 'button', text: t('admin.copy'), 'aria-describedby': id });
  button.addEventListener('click', async () => {
    const ok = await copyText(value, area);
    announce(ok ? t('admin.copied', { what: label }) : t('admin.copy_failed'), ok ? 'ok' : 'error');
  });
  return h('div', { class: 'field' },
    h('label', { for: id, text: label }),
    h('p', { id: `${id}-hint`, class: 'hint', text: hint }),
    area, button);
}

/** Fills `out` with the panel; focus goes to its heading. */
export function openEmbed(ev, out) {
  clear(out);
  const s = snippets(ev);
  const n = Date.now().toString(36);
  const heading = h('h4', { tabindex: '-1', text: t('admin.embed_title') });
  const preview = h('iframe', {
    src: api.pageUrl(`e/${encodeURIComponent(ev.id)}/embed`),
    title: t('admin.embed_preview_title', { title: ev.title }),
    class: 'embed-preview',
    loading: 'lazy',
  });
  // The embedded view posts its height, as /embed.js expects it on a city's site.
  const onMessage = (e) => {
    if (e.origin !== window.location.origin || e.source !== preview.contentWindow) return;
    if (e.data && e.data.type === 'palabre:height' && Number.isFinite(e.data.height)) {
      preview.style.height = `${Math.min(Math.max(200, e.data.height), 900)}px`;
    }
  };
  window.addEventListener('message', onMessage);
  const close = h('button', { type: 'button', text: t('admin.embed_close') });
  close.addEventListener('click', () => {
    window.removeEventListener('message', onMessage);
    clear(out);
    focusElement(document.getElementById(`ev-${ev.id}`));
  });
  out.append(heading,
    h('p', { class: 'hint', text: t('admin.embed_origins_hint') }),
    copyBlock(`emb-script-${n}`, t('admin.embed_script'), t('admin.embed_script_hint'), s.script),
    copyBlock(`emb-iframe-${n}`, t('admin.embed_iframe'), t('admin.embed_iframe_hint'), s.iframe),
    copyBlock(`emb-link-${n}`, t('admin.embed_link'), t('admin.embed_link_hint'), s.link),
    copyBlock(`emb-button-${n}`, t('admin.embed_button'), t('admin.embed_button_hint'), s.button),
    h('h5', { text: t('admin.embed_preview') }),
    preview,
    h('div', { class: 'actions' }, close));
  focusElement(heading);
}
