// Palabre — /guide/: docs/GUIDE.md drawn as a page, so that the back-office
// links to the same guide the repository keeps (its pictures are taken by
// the browser tests). A small Markdown reader for what the guide uses:
// headings, paragraphs, lists, pictures, links, code, emphasis. It builds
// DOM nodes, never HTML from the text.

import { h } from './dom.js';

// GitHub's anchors, which the guide's own links use: lower case, spaces to
// dashes, punctuation dropped.
function slug(text) {
  return text.toLowerCase().trim().replace(/[^\p{L}\p{N}\s-]/gu, '').replace(/\s/g, '-');
}

const INLINE = /(!\[([^\]]*)\]\(([^)\s]+)\))|(\[([^\]]+)\]\(([^)\s]+)\))|(`([^`]+)`)|(\*\*([^*]+)\*\*)|(\*([^*]+)\*)/g;

function safeHref(href) {
  return /^(https?:|mailto:|#|[\w./-])/.test(href) && !/^javascript:/i.test(href) ? href : '#';
}

function inline(text) {
  const out = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    if (m[1]) out.push(h('img', { src: safeHref(m[3]), alt: m[2], loading: 'lazy', class: 'guide-picture' }));
    else if (m[4]) out.push(h('a', { href: safeHref(m[6]) }, ...inline(m[5])));
    else if (m[7]) out.push(h('code', { text: m[8] }));
    else if (m[9]) out.push(h('strong', {}, ...inline(m[10])));
    else if (m[11]) out.push(h('em', {}, ...inline(m[12])));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** The nodes of a Markdown text. */
export function render(markdown) {
  const nodes = [];
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  let para = [];
  let list = null;  // { el, ordered, item }
  const flushPara = () => {
    if (para.length) nodes.push(h('p', {}, ...inline(para.join(' '))));
    para = [];
  };
  const flushList = () => {
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = line.match(/^\s*```/);
    if (fence) {
      flushPara();
      flushList();
      const code = [];
      for (i++; i < lines.length && !/^\s*```/.test(lines[i]); i++) code.push(lines[i].replace(/^ {2}/, ''));
      nodes.push(h('pre', {}, h('code', { text: code.join('\n') })));
      continue;
    }
    const heading = line.match(/^(#{1,4})\s+(.*)$/);
    if (heading) {
      flushPara();
      flushList();
      nodes.push(h(`h${heading[1].length}`, { id: slug(heading[2]) }, ...inline(heading[2])));
      continue;
    }
    const item = line.match(/^(\s*)([-*]|\d+\.)\s+(.*)$/);
    if (item && item[1].length < 2) {
      flushPara();
      const ordered = /\d/.test(item[2]);
      if (!list || list.ordered !== ordered) {
        list = { el: h(ordered ? 'ol' : 'ul', {}), ordered, item: null };
        nodes.push(list.el);
      }
      list.item = h('li', {}, ...inline(item[3]));
      list.el.append(list.item);
      continue;
    }
    if (!line.trim()) {
      flushPara();
      // A list goes on over a blank line only if the next line is an item.
      const next = lines[i + 1] || '';
      if (!/^\s*([-*]|\d+\.)\s+/.test(next) && !/^\s{2,}\S/.test(next)) flushList();
      continue;
    }
    if (list && list.item && /^\s{2,}\S/.test(line)) {
      list.item.append(' ', ...inline(line.trim()));
      continue;
    }
    flushList();
    para.push(line.trim());
  }
  flushPara();
  return nodes;
}

async function main() {
  const main = document.getElementById('main');
  const status = document.getElementById('guide-status');
  try {
    const res = await fetch('GUIDE.md', { headers: { Accept: 'text/markdown, text/plain' } });
    if (!res.ok) throw new Error(String(res.status));
    const nodes = render(await res.text());
    status.remove();
    main.append(...nodes);
    const first = main.querySelector('h1');
    if (first) document.title = `${first.textContent} – Palabre`;
    if (location.hash) document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
  } catch (_) {
    status.textContent = 'The guide could not be loaded. It is the file docs/GUIDE.md of Palabre.';
  } finally {
    main.removeAttribute('aria-busy');
  }
}

main();
