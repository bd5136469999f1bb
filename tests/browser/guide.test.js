'use strict';
// The user guide as the back-office links to it: /guide/ draws
// docs/GUIDE.md with its pictures, and is accessible.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');

describe('the user guide', () => {
  let stack;
  let browser;

  before(async () => {
    stack = await lib.startStack();
    browser = await lib.launch();
  });

  after(async () => {
    if (browser) await browser.close();
    if (stack) await stack.stop();
  });

  it('opens from the back-office, with its sections, anchors and pictures', async () => {
    const page = await lib.openPage(browser);
    await page.goto(lib.pageUrl(stack, 'admin/'));
    // Linked before signing in: a new organiser reads it first.
    await page.waitForSelector('#signin:not([hidden])');
    await page.getByRole('link', { name: /Guide d’utilisation/ }).click();
    await page.waitForURL(/\/guide\/$/);
    await page.getByRole('heading', { level: 1, name: 'Palabre — user guide' }).waitFor();
    for (const name of ['Organisers', 'Moderators', 'Guests', 'Put the debate on your site']) {
      await page.getByRole('heading', { level: 2, name }).waitFor();
    }
    // The table of contents' anchors lead to the sections.
    assert.equal(await page.getAttribute('a[href="#organisers"]', 'href'), '#organisers');
    assert.ok(await page.$('#organisers'));
    // Every picture the guide names is there.
    const pictures = await page.$$eval('img.guide-picture', (imgs) => imgs.map((i) => i.src));
    assert.ok(pictures.length >= 8, `pictures: ${pictures}`);
    for (const src of pictures) {
      const res = await stack.request('GET', new URL(src).pathname);
      assert.equal(res.status, 200, `${src} is there`);
      assert.equal(res.headers['content-type'], 'image/png');
    }
    const md = await stack.request('GET', '/guide/GUIDE.md');
    assert.equal(md.status, 200);
    assert.match(md.headers['content-type'], /^text\/markdown/);
    assert.equal((await stack.request('GET', '/guide/../README.md')).status >= 400, true);
    assert.equal((await stack.request('GET', '/guide/PRIVACY.txt')).status, 404);
    await lib.assertAccessible(page, 'the guide');
    await lib.assertNoProblems(page, 'the guide');
    await page.context().close();
  });
});
