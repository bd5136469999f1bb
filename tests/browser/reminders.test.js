'use strict';
// E-mail reminders in a real browser (docs/API.md "Reminders"): on the page
// of a debate that has not started, a citizen leaves an address with the
// keyboard; the confirmation mail reaches a real SMTP server
// (tests/support/smtp_sink.py); its /r/ link opens a page that names the
// debate and confirms only when its button is pressed; the page passes
// axe-core before and after. Once the debate is live, the form is gone.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');
const { startMailSink } = require('../support/mail_sink');

const CONFIRM_LINK = /(https?:\/\/\S+?\/r\/([A-Za-z0-9_-]+))(?=\s|$)/;

describe('e-mail reminders', () => {
  let stack;
  let sink;
  let browser;
  let ev;

  before(async () => {
    if (process.env.PALABRE_BROWSER_URL) return;  // needs its own SMTP server
    sink = await startMailSink();
    stack = await lib.startStack({
      env: { PALABRE_SMTP_URL: sink.url, PALABRE_SMTP_FROM: 'palabre@ville.example', PALABRE_SMTP_RETRY_S: '1' },
    });
    ev = await stack.createEvent({
      title: 'Budget participatif 2027',
      languages: ['fr', 'en'],
      starts_at: lib.isoIn(3 * 3600e3),
      ends_at: lib.isoIn(5 * 3600e3),
    });
    browser = await lib.launch();
  });

  after(async () => {
    if (browser) await browser.close();
    try {
      if (stack) await stack.stop();
    } finally {
      if (sink) await sink.stop();
    }
  });

  it('the visitor page asks for an address, the mail\'s link confirms on a button press, and both pages pass axe-core', async (t) => {
    if (!stack) return t.skip('PALABRE_BROWSER_URL: the stack has no mail sink of this test');
    const page = await lib.openPage(browser);
    await page.goto(lib.pageUrl(stack, `e/${ev.id}`));
    await page.waitForSelector('#reminder-form:not([hidden])');
    assert.equal(await page.getAttribute('#reminder-email', 'autocomplete'), 'email');
    assert.equal(await page.getAttribute('#reminder-email', 'type'), 'email');
    assert.equal((await page.locator('label[for="reminder-email"]').textContent()).trim(), 'Adresse e-mail');

    // A malformed address: said next to the field, nothing sent.
    await lib.tabTo(page, '#reminder-email');
    await page.keyboard.type('camille');
    await page.keyboard.press('Enter');
    await lib.waitInPage(page, () => document.querySelector('#reminder-error').textContent.length > 0, null, { what: 'the error' });
    assert.equal(await page.getAttribute('#reminder-email', 'aria-invalid'), 'true');

    // In English, with the keyboard only.
    await page.getByRole('button', { name: 'English' }).click();
    await page.fill('#reminder-email', '');
    await lib.tabTo(page, '#reminder-email');
    await page.keyboard.type('camille@example.org');
    await lib.tabTo(page, '#reminder-submit');
    await page.keyboard.press('Enter');
    await lib.waitInPage(page, () => /confirmation e-mail/.test(document.querySelector('#reminder-note').textContent), null,
      { what: 'the check-your-inbox note' });
    assert.equal(await page.getAttribute('#reminder-note', 'role'), 'status');
    assert.ok(await page.locator('#reminder-form').isHidden(), 'the form gives way to the note');
    await lib.assertAccessible(page, 'the visitor page with the reminder note');
    await lib.assertNoProblems(page, 'the visitor page');

    const [mail] = await sink.waitFor((m) => m.to === 'camille@example.org' && CONFIRM_LINK.test(m.text), 1,
      { what: 'the confirmation mail' });
    assert.equal(mail.subject, 'Confirm your reminder: Budget participatif 2027', 'written in the page\'s language');
    const [, link] = CONFIRM_LINK.exec(mail.text);

    const r = await lib.openPage(browser, { locale: 'en-GB' });
    await r.goto(link);
    await r.waitForSelector('#details:not([hidden])');
    assert.equal(await r.locator('#event-title').textContent(), 'Budget participatif 2027');
    assert.match(await r.locator('#state').textContent(), /not confirmed yet/);
    await lib.assertAccessible(r, 'the /r/ page before confirming');
    // Opening the link confirmed nothing.
    const before = await (await r.request.get(new URL(`../api/reminders/${link.split('/r/')[1]}`, link).href)).json();
    assert.equal(before.confirmed, false);

    await lib.tabTo(r, '#confirm');
    await r.keyboard.press('Enter');
    await lib.waitInPage(r, () => /^Confirmed/.test(document.querySelector('#state').textContent), null, { what: 'the confirmation' });
    assert.equal(await r.evaluate(() => document.activeElement.id), 'state', 'focus moves to the message');
    assert.ok(await r.locator('#confirm').isHidden());
    assert.ok(await r.locator('#unsubscribe').isVisible(), 'cancelling stays possible');
    await lib.assertAccessible(r, 'the /r/ page once confirmed');
    await lib.assertNoProblems(r, 'the /r/ page');

    // Cancelling deletes the address; the link then names nothing.
    await r.click('#unsubscribe');
    await lib.waitInPage(r, () => /cancelled/.test(document.querySelector('#state').textContent), null, { what: 'the cancellation' });
    await r.reload();
    await lib.waitInPage(r, () => document.querySelector('#page-error').textContent.length > 0, null, { what: 'the unknown-link message' });
    assert.match(await r.locator('#page-error').textContent(), /not valid/);
    assert.equal(await r.getAttribute('#page-error', 'role'), 'alert');
    await lib.assertAccessible(r, 'the /r/ page of a link that names nothing');
  });

  it('is not offered once the debate is live', async (t) => {
    if (!stack) return t.skip('PALABRE_BROWSER_URL: the stack has no mail sink of this test');
    const live = await stack.createEvent({ title: 'Débat en cours' });
    const page = await lib.openPage(browser);
    await page.goto(lib.pageUrl(stack, `e/${live.id}`));
    await page.waitForSelector('#debate:not([hidden])');
    assert.ok(await page.locator('#reminder-form').isHidden(), 'no reminder form on a live debate');
    await lib.assertNoProblems(page, 'the live visitor page');
  });
});
