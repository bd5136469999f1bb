'use strict';
// Redis AUTH (PALABRE_REDIS_PASSWORD_FILE, PALABRE_REDIS_USER): every
// connection authenticates — the accept threads', the hub's command and
// Pub/Sub connections (a live stream proves both) — with requirepass and
// with an ACL user limited to the rules docs/OPERATIONS.md gives. A
// password Redis refuses is a clear error in the log and a 503 on /healthz,
// not a crash; the worker recovers once the password is right again.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startCluster, expectOk, waitUntil } = require('../support/cluster');

// The ACL rules of docs/OPERATIONS.md ("Redis AUTH and ACL"), minus the
// user's name and password.
const PALABRE_ACL = ['~palabre:*', '&palabre:*', '+@all', '-@dangerous', '+config|get', '+role'];

function secretFile(dir, name, text) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${text}\n`, { mode: 0o600 });
  return file;
}

// A visitor's question published by a moderator reaches a live stream:
// writes (scripts), reads, the hub's XRANGE and its Pub/Sub wake-up.
async function liveFlow(c) {
  const ev = await c.createEvent({ title: 'Débat protégé', moderation: 'pre' });
  const stream = await c.sse(`/api/events/${ev.id}/stream`);
  assert.equal(stream.status, 200);
  const visitor = await c.join(ev.id, 'Nour');
  const asked = expectOk(await visitor.ask(ev.id, 'Qui garde la clé ?', 'fr'), 202, 'ask');
  expectOk(await c.asAdmin().act(ev.id, asked.id, 'publish'), 200, 'publish');
  await stream.waitFor((f) => f.event === 'message' && f.data.id === asked.id, 10000, 'the question on the live stream');
  stream.close();
}

function workerLog(c, i = 0) {
  return fs.readFileSync(path.join(c.runDir, `worker-${i + 1}.log`), 'utf8');
}

describe('Redis AUTH', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plb-auth-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('with requirepass', () => {
    let c;
    const password = 'correct horse battery staple';
    before(async () => {
      c = await startCluster({
        workers: 1,
        env: { PALABRE_REDIS_PASSWORD_FILE: secretFile(dir, 'pass', password) },
        redisSetup: async (cl) => {
          await cl.redisCli(['CONFIG', 'SET', 'requirepass', password]);
          cl.redisAuth = { password };
        },
      });
    });
    after(async () => { if (c) await c.stop(); });

    it('authenticates every connection: writes, reads and live streams work', async () => {
      await liveFlow(c);
      const health = expectOk(await c.get('/healthz'), 200);
      assert.equal(health.checks.redis, 'ok');
      // Every connection the worker holds is authenticated as the default
      // user; none is left unauthenticated (Redis would have refused it).
      const clients = await c.redisCli(['CLIENT', 'LIST']);
      assert.ok(/cmd=subscribe|cmd=ssubscribe|sub=[1-9]/.test(clients), `the hub's subscriber is connected: ${clients}`);
    });

    it('a password Redis refuses: a clear error in the log, /healthz 503 with redis fail, no crash; recovers', async () => {
      await c.redisCli(['CONFIG', 'SET', 'requirepass', 'another password']);
      c.redisAuth = { password: 'another password' };
      // Authenticated connections stay so: drop them, as a Redis restart would.
      await c.redisCli(['CLIENT', 'KILL', 'TYPE', 'normal']);
      await c.redisCli(['CLIENT', 'KILL', 'TYPE', 'pubsub']);
      const res = await waitUntil(async () => {
        const r = await c.get('/healthz');
        return r.status === 503 ? r : null;
      }, { timeoutMs: 10000, what: '/healthz to say Redis is down' });
      assert.equal(res.json.checks.redis, 'fail');
      await waitUntil(() => /redis refused our credentials/.test(workerLog(c)), { timeoutMs: 5000, what: 'the log line' });
      const line = workerLog(c).split('\n').find((l) => /redis refused our credentials/.test(l));
      assert.match(line, /"level":"error"/);
      assert.match(line, /WRONGPASS|invalid password|invalid username-password/i);
      assert.ok(!line.includes(password), 'the password is never logged');
      assert.deepEqual(c.unexpectedExits(), []);
      await c.redisCli(['CONFIG', 'SET', 'requirepass', password]);
      c.redisAuth = { password };
      await c.waitHealthy(10000);
      await liveFlow(c);
    });
  });

  describe('as an ACL user with the documented rules', () => {
    let c;
    const password = 'acl-secret-4242';
    before(async () => {
      c = await startCluster({
        workers: 1,
        env: { PALABRE_REDIS_USER: 'palabre', PALABRE_REDIS_PASSWORD_FILE: secretFile(dir, 'acl', password) },
        redisSetup: async (cl) => {
          await cl.redisCli(['ACL', 'SETUSER', 'palabre', 'on', `>${password}`, 'resetkeys', 'resetchannels', ...PALABRE_ACL]);
          // The test's own redis-cli, with every right (default is turned off).
          await cl.redisCli(['ACL', 'SETUSER', 'tester', 'on', '>tester-secret', '~*', '&*', '+@all']);
          await cl.redisCli(['ACL', 'SETUSER', 'default', 'off']);
          cl.redisAuth = { user: 'tester', password: 'tester-secret' };
        },
      });
    });
    after(async () => { if (c) await c.stop(); });

    it('works end to end, and /healthz can still check durability', async () => {
      await liveFlow(c);
      const health = expectOk(await c.get('/healthz'), 200);
      assert.equal(health.checks.redis, 'ok');
      assert.equal(health.checks.durability, 'ok');
      const clients = await c.redisCli(['CLIENT', 'LIST']);
      const users = new Set([...clients.matchAll(/ user=(\S+)/g)].map((m) => m[1]));
      users.delete('tester');  // this redis-cli
      assert.deepEqual([...users], ['palabre'], `every connection is the ACL user: ${clients}`);
      // Nothing Palabre did was refused by the ACL.
      const denied = await c.redisCli(['ACL', 'LOG']);
      assert.equal(denied, '', `ACL LOG is empty: ${denied}`);
    });
  });
});
