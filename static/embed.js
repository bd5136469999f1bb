/*
 * Palabre — put a debate on your own site with one line:
 *
 *   <script src="https://palabre.ville.example/embed.js" data-event="budget-2027" async></script>
 *
 * This script replaces nothing: it adds, right where its <script> tag is,
 * an iframe of the debate's embeddable view (/e/{id}/embed), and sizes it
 * to its content as the thread grows. Options, on the same tag:
 *   data-event   the debate's id (required)
 *   data-lang    the interface language, e.g. "en" (else the debate's or the
 *                reader's own)
 *   data-height  a maximum height in pixels: beyond it the frame scrolls
 *   data-title   the frame's title, which screen readers announce (e.g. the
 *                debate's title; else "Palabre")
 *
 * The iframe's address comes from this script's own address, so it works
 * wherever Palabre is mounted (https://ville.example/palabre/embed.js).
 * The frame is resized only on a {"type":"palabre:height"} message from
 * Palabre's own origin and from that very frame. No dependency, no cookie.
 * The site must be listed in Palabre's PALABRE_EMBED_ORIGINS, or browsers
 * refuse to show the frame (docs/GUIDE.md, "Put the debate on your site").
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.src) return;
  var id = script.getAttribute('data-event') || '';
  if (!/^[a-z0-9-]{1,64}$/.test(id)) {
    if (window.console) window.console.warn('Palabre embed: data-event must be a debate id, got "' + id + '"');
    return;
  }
  var base = new URL('.', script.src);
  var src = new URL('e/' + id + '/embed', base);
  var lang = script.getAttribute('data-lang');
  if (lang && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(lang)) src.searchParams.set('lang', lang);
  var max = parseInt(script.getAttribute('data-height') || '', 10);
  if (!(max > 0)) max = 0;

  var frame = document.createElement('iframe');
  frame.src = src.href;
  frame.title = script.getAttribute('data-title') || 'Palabre';
  frame.loading = 'lazy';
  frame.setAttribute('loading', 'lazy');
  frame.setAttribute('data-palabre-event', id);
  frame.style.border = '0';
  frame.style.width = '100%';
  frame.style.display = 'block';
  frame.style.height = (max ? Math.min(max, 480) : 480) + 'px';
  script.parentNode.insertBefore(frame, script);

  window.addEventListener('message', function (e) {
    if (e.origin !== base.origin || e.source !== frame.contentWindow) return;
    var d = e.data;
    if (!d || d.type !== 'palabre:height' || typeof d.height !== 'number' || !isFinite(d.height)) return;
    var h = Math.max(0, Math.ceil(d.height));
    if (max) h = Math.min(h, max);
    frame.style.height = h + 'px';
  });
})();
