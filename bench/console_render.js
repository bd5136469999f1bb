#!/usr/bin/env node
'use strict';
// bench/console_render.js — how long the moderator console takes to show
// and to filter a busy queue (issue 11: 500 pending questions, each under
// 200 ms in Chromium). Driven by bench/run ("Console"); needs the tests'
// npm packages (playwright-core) and Debian's chromium.
//
//   PALABRE_BUILD_DIR=<dir with palabre-worker> node bench/console_render.js [--questions 500] [--loads 5]
//
// Starts a private stack (tests/support/cluster.js: Redis, nginx, one
// worker), asks N questions in one debate, then opens the console --loads
// times. The page marks when it starts and ends drawing the queue and each
// filter (performance.mark in static/assets/js/mod_queue.js); a script
// installed before the page's own notes when the browser has painted after
// each end mark (the next frame, then a task), so the times include style,
// layout and paint, not only script:
//   render_ms  queue-render-start → painted after queue-rendered
//              (render_script_ms: → the queue-rendered mark, script alone)
//   filter_ms  the text typed (input event) → painted after filter-applied,
//              the console's 100 ms debounce included
//   filter_work_ms  filter-start → painted after filter-applied
// Prints one JSON line with medians and maxima; exit 0 when every median is
// under 200 ms.

const path = require('node:path');
const lib = require(path.join(__dirname, '..', 'tests', 'browser', 'lib.js'));

const opt = { questions: 500, loads: 5 };
for (let i = 2; i < process.argv.length; i += 2) opt[process.argv[i].replace(/^--/, '')] = Number(process.argv[i + 1]);

// Installed in the page before its scripts: a PerformanceObserver that
// notes, for each end mark, when the next frame has been painted.
function watchPaints() {
  window.__painted = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.name !== 'palabre:queue-rendered' && e.name !== 'palabre:filter-applied') continue;
      requestAnimationFrame(() => setTimeout(() => window.__painted.push({ name: e.name, mark: e.startTime, at: performance.now() })));
    }
  }).observe({ type: 'mark', buffered: true });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.floor(s.length / 2)] * 10) / 10 : null;
};
const max = (xs) => (xs.length ? Math.round(Math.max(...xs) * 10) / 10 : null);

async function main() {
  const stack = await lib.startStack({ env: { PALABRE_QUESTIONS_PER_WINDOW: '100000', PALABRE_JOINS_PER_ADDRESS: '100000',
    PALABRE_QUESTIONS_PER_ADDRESS: '100000' } });
  const browser = await lib.launch();
  try {
    const ev = await stack.createEvent({ title: 'Banc d’essai : une file de questions chargée', languages: ['fr', 'en'] });
    const quarters = ['nord', 'sud', 'est', 'ouest'];
    const askers = await Promise.all(Array.from({ length: Math.ceil(opt.questions / 10) }, (_, i) => stack.join(ev.id, `Habitant ${i}`)));
    let n = 0;
    await Promise.all(askers.map(async (v) => {
      for (let i = 0; i < 10 && n < opt.questions; i++) {
        const k = n++;
        lib.expectOk(await v.ask(ev.id, `Proposition n°${k} pour le quartier ${quarters[k % 4]} : plus d’arceaux à vélo`, 'fr'), 202, 'ask');
      }
    }));
    const inv = await stack.invite(ev.id, { role: 'moderator', label: 'Banc d’essai' });
    const render = [];
    const renderScript = [];
    const filter = [];
    const filterWork = [];
    for (let load = 0; load < opt.loads; load++) {
      const page = await lib.openPage(browser, { initScript: watchPaints });
      await page.goto(inv.url);
      await lib.waitInPage(page, (k) => document.querySelectorAll('#pending > li').length === k, opt.questions,
        { what: `${opt.questions} lines`, timeout: 60000 });
      const first = await lib.waitInPage(page, () => {
        const p = window.__painted.find((x) => x.name === 'palabre:queue-rendered');
        const s = performance.getEntriesByName('palabre:queue-render-start')[0];
        return p && s ? p.at - s.startTime : null;
      }, null, { what: 'the first paint' });
      render.push(first);
      renderScript.push(await page.evaluate(() => performance.getEntriesByName('palabre:queue-rendered')[0].startTime -
        performance.getEntriesByName('palabre:queue-render-start')[0].startTime));
      for (const [text, lines] of [['quartier nord', opt.questions / 4], ['n°123 ', 1], ['', opt.questions]]) {
        const result = await page.evaluate(async ([t, expected]) => {
          const seen = window.__painted.length;
          const input = document.querySelector('#filter-text');
          const t0 = performance.now();
          input.value = t;
          input.dispatchEvent(new Event('input', { bubbles: true }));
          for (let i = 0; i < 500; i++) {
            const p = window.__painted.slice(seen).find((x) => x.name === 'palabre:filter-applied');
            if (p && document.querySelectorAll('#pending > li').length === expected) {
              const starts = performance.getEntriesByName('palabre:filter-start');
              const start = starts[starts.length - 1].startTime;
              return { total: p.at - t0, work: p.at - start };
            }
            await new Promise((r) => setTimeout(r, 10));
          }
          return null;
        }, [text, lines]);
        if (!result) throw new Error(`the filter "${text}" did not show ${lines} lines`);
        filter.push(result.total);
        filterWork.push(result.work);
      }
      await page.context().close();
    }
    const out = {
      questions: opt.questions,
      loads: opt.loads,
      render_ms: { median: median(render), max: max(render) },
      render_script_ms: { median: median(renderScript), max: max(renderScript) },
      filter_ms: { median: median(filter), max: max(filter) },
      filter_work_ms: { median: median(filterWork), max: max(filterWork) },
      chromium: browser.version(),
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    process.exitCode = out.render_ms.median < 200 && out.filter_ms.median < 200 ? 0 : 1;
  } finally {
    await browser.close();
    await stack.stop();
  }
}

main().catch((e) => { process.stderr.write(`${e.stack || e}\n`); process.exit(1); });
