'use strict';
// Ops may mount Palabre under a prefix of an existing site (/palabre/). The
// pages use relative URLs only, so every page, asset, API call and stream
// stays under the prefix, from the index to a published question.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');

describe('Palabre mounted under /palabre/', () => {
  let stack;
  let browser;
  let ev;
  let invites;
  const requests = [];
  const failures = [];

  function watch(page) {
    page.on('request', (r) => requests.push(r.url()));
    page.on('response', (r) => {
      // 401 from my-questions before joining, and from auth/me on the
      // signed-out back-office, are expected.
      if (r.status() >= 400 && !/\/(my-questions|auth\/me)$/.test(r.url())) failures.push(`${r.status()} ${r.url()}`);
    });
  }

  before(async () => {
    if (process.env.PALABRE_BROWSER_URL) return;
    stack = await lib.startStack({ prefix: '/palabre/' });
    ev = await stack.createEvent({ title: 'Débat sous un préfixe' });
    invites = await stack.invite(ev.id);
    browser = await lib.launch();
  });

  after(async () => {
    if (browser) await browser.close();
    if (stack) await stack.stop();
  });

  it('from the index to a published question, everything stays under the prefix', async (t) => {
    if (!stack) {
      t.skip('needs a cluster started by the test (not PALABRE_BROWSER_URL)');
      return;
    }
    const root = `${stack.origin}/palabre/`;
    const visitor = await lib.openPage(browser);
    watch(visitor);
    await visitor.goto(root);
    await visitor.getByRole('link', { name: 'Débat sous un préfixe' }).click();
    await visitor.waitForURL(`${root}e/${ev.id}`);
    await visitor.waitForSelector('#join-form:not([hidden])');
    await visitor.fill('#join-name', 'Préfixe');
    await visitor.press('#join-name', 'Enter');
    await visitor.waitForSelector('#ask-form:not([hidden])');
    await visitor.fill('#question', 'Tout marche sous /palabre/ ?');
    await visitor.click('#ask-submit');
    await visitor.locator('#my-questions [data-status="pending"]').waitFor();

    assert.match(invites.moderator_url, new RegExp(`^${root}e/${ev.id}/moderate#t=`));
    const moderator = await lib.openPage(browser, { locale: 'en-GB' });
    watch(moderator);
    await moderator.goto(invites.moderator_url);
    await moderator.locator('#pending > li').first().locator('.q-toggle').click();
    await moderator.locator('#pending > li').first().getByRole('button', { name: 'Publish', exact: true }).click();
    await visitor.locator('#thread > li', { hasText: 'Tout marche sous /palabre/ ?' }).waitFor();

    const admin = await lib.openPage(browser);
    watch(admin);
    await admin.goto(`${root}admin/`);
    await admin.waitForSelector('#signin:not([hidden])');

    const outside = requests.filter((u) => !u.startsWith(root) && !u.startsWith('data:'));
    assert.deepEqual(outside, [], 'no request leaves the prefix');
    assert.deepEqual(failures, [], 'no request failed');
    assert.ok(requests.some((u) => u.startsWith(`${root}assets/js/`)), 'scripts loaded from the prefix');
    assert.ok(requests.some((u) => u.startsWith(`${root}api/events/${ev.id}/stream`)), 'stream under the prefix');
    for (const page of [visitor, moderator, admin]) await lib.assertNoProblems(page, page.url());
  });
});
