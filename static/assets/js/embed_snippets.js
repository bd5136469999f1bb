// Palabre — the four ways to put a debate on the organiser's own site, as
// the HTML to copy (the back-office shows them with a live preview;
// docs/GUIDE.md, "Put the debate on your site"):
//   script  the one-line snippet: /embed.js creates and sizes the iframe
//   iframe  the embeddable view alone, for sites that allow no script (its
//           height then stays what the organiser sets)
//   link    a plain link to the visitor page
//   button  the same link styled as a button, with inline styles only (the
//           organiser's stylesheet may not know Palabre's classes), in the
//           debate's colour with black or white text, whichever reads better
// Every value is HTML-escaped; the id is checked as the API checks it.
// Pure: no DOM at all, so tests may import it too.

import { textColourOn } from './dom.js';

const ID_RE = /^[a-z0-9-]{1,64}$/;

const DEFAULT_COLOUR = '#000091';

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

/**
 * snippets('https://ville.example/palabre/', 'budget-2027', {title, label, lang, colour})
 * → {script, iframe, link, button}, HTML strings. baseUrl: Palabre's mount
 * point (api.ROOT.href in the back-office). title: the debate's title (the
 * iframe's and the link's text); label: the button's words; lang: data-lang;
 * colour: the button's (#rrggbb, the debate's branding), else Palabre's blue.
 */
export function snippets(baseUrl, eventId, { title = '', label = 'Poser une question', lang = '', colour = '' } = {}) {
  if (!ID_RE.test(eventId || '')) throw new Error(`not a debate id: ${eventId}`);
  const base = new URL(baseUrl);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const page = new URL(`e/${eventId}`, base).href;
  const frame = new URL(`e/${eventId}/embed`, base).href;
  const js = new URL('embed.js', base).href;
  const name = title || 'Palabre';
  const langAttr = lang && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(lang) ? ` data-lang="${escapeHtml(lang)}"` : '';
  const background = /^#[0-9a-f]{6}$/i.test(colour || '') ? colour.toLowerCase() : DEFAULT_COLOUR;
  return {
    script: `<script src="${escapeHtml(js)}" data-event="${escapeHtml(eventId)}"${title ? ` data-title="${escapeHtml(title)}"` : ''}${langAttr} async></script>`,
    iframe: `<iframe src="${escapeHtml(frame)}" title="${escapeHtml(name)}" loading="lazy" `
      + 'style="border:0;width:100%;height:600px"></iframe>',
    link: `<a href="${escapeHtml(page)}">${escapeHtml(name)}</a>`,
    button: `<a href="${escapeHtml(page)}" style="display:inline-block;padding:0.6em 1.2em;border-radius:0.3em;`
      + `background:${background};color:${textColourOn(background)};font-weight:bold;text-decoration:none">${escapeHtml(label)}</a>`,
  };
}
