'use strict';
// The interface's catalogues (static/assets/js/i18n/<lang>.js) are complete
// and all used: every language has exactly French's keys (plus the plural
// forms its own rules need: _zero, _two, _few, _many next to a French
// _other), the same {placeholders} in each string, and every key is used
// somewhere in static/. No browser, no server: it reads the files.

const { describe, it, before } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const STATIC = path.join(__dirname, '..', '..', 'static');
const CATALOGUES = path.join(STATIC, 'assets', 'js', 'i18n');
const REFERENCE = 'fr';

// Keys built at run time (t(`phase.${ev.phase}`) and the like): a key under
// one of these prefixes counts as used. Keep the list short and exact: a new
// dynamic use must be added here on purpose.
const DYNAMIC_PREFIXES = [
  'phase.',            // visitor.js, moderate.js, index.js, admin.js: t(`phase.${ev.phase}`)
  'status.',           // visitor.js: t(`status.${status}`)
  'staff.',            // moderate.js, guest.js: t(`staff.${reason}`)
  'audience.reason_',  // visitor.js: t(`audience.reason_${code}`)
  'mod.st_',           // mod_detail.js: t(`mod.st_${q.status}`)
  'mod.done_',         // mod_detail.js: t(`mod.done_${action}`)
  'mod.dur_',          // mod_forms.js: t(`mod.dur_${secs}`)
  'mod.audit_a_',      // mod_audit.js: the audit log's actions
  'mod.role_',         // mod_audit.js: the audit log's roles
  'mod.slow_',         // mod_controls.js: the slow mode's choices
  'mod.reason_',       // mod_rows.js: rejection reasons
  'mod.kbd_',          // mod_keys.js: key names
  'a11y.status_',      // accessibility.js: t(`a11y.status_${status}`)
];

// Plural forms other than one/other, which a language may add (Polish).
const EXTRA_PLURAL = /_(zero|two|few|many)$/;

function files(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (p !== CATALOGUES) files(p, out);
    } else if (/\.(js|html)$/.test(e.name)) {
      out.push(p);
    }
  }
  return out;
}

function placeholders(s) {
  return [...String(s).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
}

describe('interface catalogues', () => {
  const langs = fs.readdirSync(CATALOGUES).filter((f) => f.endsWith('.js')).map((f) => f.slice(0, -3)).sort();
  const cat = {};
  let source = '';
  const plurals = new Set();

  before(async () => {
    for (const l of langs) {
      cat[l] = (await import(pathToFileURL(path.join(CATALOGUES, `${l}.js`)).href)).default;
    }
    // Comments name keys as examples ("data-i18n=\"key\""): not uses.
    source = files(STATIC).map((f) => fs.readFileSync(f, 'utf8')).join('\n').replace(/^\s*(\/\/|\*).*$/gm, '');
    // plural('mod.shown', n): the bases whose _one/_other/... forms are used.
    for (const m of source.matchAll(/plural\(\s*'([a-z_.]+)'/g)) plurals.add(m[1]);
  });

  it('exist for the six languages and i18n.js offers each of them', () => {
    assert.deepEqual(langs, ['de', 'en', 'es', 'fr', 'it', 'pl']);
    const logic = fs.readFileSync(path.join(STATIC, 'assets', 'js', 'i18n.js'), 'utf8');
    const supported = /export const SUPPORTED = \[([^\]]*)\]/.exec(logic);
    assert.ok(supported, 'i18n.js: SUPPORTED not found');
    assert.deepEqual(supported[1].match(/[a-z]+/g).sort(), langs);
  });

  it('have exactly the French keys, and plural forms only where French has the plural', () => {
    const ref = new Set(Object.keys(cat[REFERENCE]));
    const problems = [];
    for (const l of langs) {
      const keys = new Set(Object.keys(cat[l]));
      for (const k of ref) if (!keys.has(k)) problems.push(`${l}: missing ${k}`);
      for (const k of keys) {
        if (ref.has(k)) continue;
        const base = k.replace(EXTRA_PLURAL, '');
        if (base !== k && ref.has(`${base}_other`)) continue;
        problems.push(`${l}: ${k} is not in ${REFERENCE}.js`);
      }
      for (const [k, v] of Object.entries(cat[l])) {
        if (typeof v !== 'string' || !v.trim()) problems.push(`${l}: ${k} is empty`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('have the same {placeholders} in every language', () => {
    const problems = [];
    for (const l of langs) {
      for (const [k, v] of Object.entries(cat[l])) {
        const refKey = cat[REFERENCE][k] !== undefined ? k : k.replace(EXTRA_PLURAL, '_other');
        const want = placeholders(cat[REFERENCE][refKey]);
        if (placeholders(v) !== want) problems.push(`${l}: ${k} has {${placeholders(v)}}, ${REFERENCE} has {${want}}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('have no key that static/ never uses', () => {
    const quoted = new Set();
    for (const m of source.matchAll(/['"`]([a-z][a-z0-9_]*\.[a-z0-9_.]+)['"`]/g)) quoted.add(m[1]);
    // data-i18n-attr="aria-label:key;title:key2"
    for (const m of source.matchAll(/data-i18n-attr="([^"]*)"/g)) {
      for (const pair of m[1].split(';')) quoted.add(pair.split(':').pop().trim());
    }
    for (const m of source.matchAll(/i18nAttr = '([^']*)'/g)) {
      for (const pair of m[1].split(';')) quoted.add(pair.split(':').pop().trim());
    }
    const used = (k) => quoted.has(k)
      || DYNAMIC_PREFIXES.some((p) => k.startsWith(p))
      || plurals.has(k.replace(/_(zero|one|two|few|many|other)$/, ''));
    const unused = Object.keys(cat[REFERENCE]).filter((k) => !used(k));
    assert.deepEqual(unused, [], 'keys no page uses: remove them, or list their dynamic prefix in this test');
  });

  it('name every key a page uses', () => {
    const missing = [];
    for (const m of source.matchAll(/data-i18n="([^"]+)"/g)) {
      if (cat[REFERENCE][m[1]] === undefined) missing.push(m[1]);
    }
    for (const m of source.matchAll(/\bt\(\s*'([^']+)'/g)) {
      if (cat[REFERENCE][m[1]] === undefined) missing.push(m[1]);
    }
    assert.deepEqual([...new Set(missing)], []);
  });
});
