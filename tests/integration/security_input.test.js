'use strict';
// Hostile request bodies, through nginx: each gets the documented 4xx JSON
// error, no worker dies, and nothing changes (the queue, the public history).
// docs/SECURITY.md lists what each case defends against.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startCluster, expectError, expectOk } = require('../support/cluster');

let c;
let E;
let mod;
let names = 0;

const visitor = () => c.join(E, `Citoyen ${++names}`, { lang: 'fr' });

async function queueView() {
  const q = expectOk(await mod.get(`/api/events/${E}/queue`), 200, 'queue');
  const p = expectOk(await c.poll(`/api/events/${E}/poll`), 200, 'poll');
  return { pending: q.pending.map((x) => `${x.id}|${x.text}`), items: p.items.map((i) => i.cursor) };
}

before(async () => {
  // A body limit well above the 130,000 bytes that used to overflow the
  // worker's stack in RapidJSON's recursive parser.
  c = await startCluster({ workers: 2, nginxWorkers: 1, env: { PALABRE_MAX_BODY_BYTES: String(512 * 1024) } });
  E = (await c.createEvent({ title: 'Entrées hostiles' })).id;
  const inv = await c.invite(E);
  mod = c.bearer(inv.moderator_token, 'moderator', E);
});

after(async () => {
  if (c) await c.stop();
});

describe('deeply nested JSON', () => {
  it('answers 400 invalid_json to 130,000 nested brackets and every worker survives', async () => {
    const pids = c.workerPids();
    const before = await queueView();
    const v = await visitor();
    for (const body of ['['.repeat(130000), '{"text":' + '['.repeat(200000) + ']'.repeat(200000) + '}',
      '{"a":'.repeat(60000) + '1' + '}'.repeat(60000)]) {
      const res = await v.post(`/api/events/${E}/questions`, body);
      expectError(res, 400, 'invalid_json', `a body of ${body.length} bytes`);
      // Anonymous, too: joining parses the body before anything else.
      const anon = await c.request('POST', `/api/events/${E}/join`, { body, headers: { Origin: c.origin } });
      expectError(anon, 400, 'invalid_json', 'anonymous deep body');
    }
    assert.deepEqual(c.workerPids(), pids, 'no worker died');
    assert.deepEqual(c.crashes, [], 'no worker crashed');
    assert.deepEqual(await queueView(), before, 'nothing changed');
  });

  it('still accepts the contract\'s ordinary nesting', async () => {
    const v = await visitor();
    const res = await v.ask(E, 'Quand les travaux commencent-ils ?', 'fr');
    expectOk(res, 202, 'a plain question');
  });
});
