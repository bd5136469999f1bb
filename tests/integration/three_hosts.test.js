'use strict';
// Three hosts on one machine (network namespaces, tests/support/netns.js and
// tests/support/three_hosts.js): on each, nginx and two workers; a Redis
// master on host 1, its replica on host 2, a sentinel on each host;
// PostgreSQL on host 3. Visitors (in the test process, outside the hosts)
// stream one debate through the three hosts' nginx; the moderator publishes
// through each host in turn; the Redis master is killed (SIGKILL) mid-debate.
// Then:
// - every stream on every host ends with exactly the published history (each
//   message once, in order), without a reset;
// - every message the API acknowledged (201) is in the history;
// - /healthz on each host says 503 "redis":"fail" while there is no master,
//   200 after;
// - the new master is the former replica, as every sentinel says;
// - before that, /metrics shows each worker counting the streams of its own
//   host (PALABRE_HOST_NAME), not of the machine.
// Skipped (with the reason) without root, `ip netns` or PostgreSQL.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { expectOk, waitUntil, sleep } = require('../support/cluster');
const { SseFleet } = require('../support/sse_fleet');
const { newDebate, announce, publishedKeys } = require('../support/faults');
const { netnsUnavailable } = require('../support/netns');
const { startSite, siteUnavailable } = require('../support/three_hosts');
const { redisCli, watchPromotion, sampleHealth, assertHealthTruthful } = require('../support/sentinel');

const CLIENTS_PER_HOST = 10;
const skip = netnsUnavailable() || siteUnavailable();

let site;

before(async () => {
  if (!skip) site = await startSite({ workersPerHost: 2 });
});

after(async () => {
  if (site) await site.stop();
});

describe('three hosts, one Redis failover', { skip }, () => {
  it('streams continue exactly on every host, acknowledged messages survive, /healthz tells the truth', async () => {
    const clusters = site.hosts.map((h) => h.cluster);
    const d = await newDebate(clusters[0], 'Trois hôtes');
    // The same debate, published through host k.
    const through = clusters.map((c) => ({ ...d, admin: c.asAdmin() }));
    const fleets = clusters.map((c) => new SseFleet(c, `${d.base}/stream`, { count: CLIENTS_PER_HOST }));
    for (const f of fleets) await f.start();
    // Each worker counts the streams of its own host (PALABRE_HOST_NAME:
    // the namespaces share the machine's name) against nginx's capacity.
    const hostStreams = await waitUntil(async () => {
      const text = (await clusters[0].get('/metrics')).text;
      const seen = [...text.matchAll(/^palabre_host_streams\{worker="(h\d):\d+"\} (\d+)$/gm)].map((m) => `${m[1]}=${m[2]}`).sort();
      return seen.length === 6 && seen.every((v) => v.endsWith(`=${CLIENTS_PER_HOST}`)) && seen;
    }, { timeoutMs: 15000, intervalMs: 250, what: `each worker of each host to count ${CLIENTS_PER_HOST} streams on its host` });
    assert.deepEqual(hostStreams.map((v) => v.split('=')[0]), ['h1', 'h1', 'h2', 'h2', 'h3', 'h3']);

    const acked = [];
    const refused = {};
    let i = 0;
    const publish = async () => {
      const k = i % clusters.length;
      const res = await announce(through[k], { text: `Annonce ${i} via h${k + 1}`, timeoutMs: 10000 });
      i++;
      if (res.status === 201) acked.push(res.json.id);
      else {
        const code = res.json && res.json.error ? res.json.error.code : `${res.status}`;
        refused[code] = (refused[code] || 0) + 1;
      }
      return res;
    };
    for (let k = 0; k < 9; k++) {
      const res = await publish();
      assert.equal(res.status, 201, `publishing before the failover: ${res.text}`);
    }

    const health = clusters.map((c) => sampleHealth(c));
    const promotion = watchPromotion(site.replica.addr);
    const replicaAt = `${site.replica.addr.host}:${site.replica.addr.port}`;

    await site.master.child.kill('SIGKILL');
    await site.master.child.exited;
    const killedAt = Date.now();
    // Publish on while the sentinels fail over (bounded).
    while (Date.now() - killedAt < 25000) {
      const seen = await site.mastersSeen();
      if (seen.every((m) => m === replicaAt)) {
        const statuses = await Promise.all(clusters.map((c) => c.get('/healthz', { timeoutMs: 3000 }).then((r) => r.status, () => 0)));
        if (statuses.every((s) => s === 200)) break;
      }
      await publish();
      await sleep(50);
    }
    const lastSlaveAt = await promotion.done;
    assert.ok(lastSlaveAt > killedAt, 'the replica was still a replica when the master died');
    assert.deepEqual(await site.mastersSeen(), site.sentinels.map(() => replicaAt), 'every sentinel names the former replica');
    assert.match(await redisCli(site.replica.addr, ['INFO', 'replication']), /role:master/);

    // The old master comes back as a replica of the new one, so that
    // writes are replicated (WAIT 1) again.
    await site.startMaster();
    await redisCli(site.master.addr, ['REPLICAOF', site.replica.addr.host, site.replica.addr.port]);
    await waitUntil(async () => /master_link_status:up/.test(await redisCli(site.master.addr, ['INFO', 'replication'])),
      { timeoutMs: 15000, what: 'the old master to sync as a replica' });
    for (let k = 0; k < 6; k++) {
      const res = await publish();
      assert.equal(res.status, 201, `publishing after the failover: ${res.text}`);
    }
    const samples = [];
    for (const h of health) samples.push(await h.stop());

    const want = await publishedKeys(clusters[1], d);
    assert.equal(new Set(want).size, want.length, 'no message twice in the history');
    const have = new Set(want);
    assert.deepEqual(acked.filter((id) => !have.has(id)), [], 'every acknowledged message is in the history');
    const summaries = [];
    for (const [k, f] of fleets.entries()) {
      await f.waitExact(want, 15000);
      summaries.push(f.summary());
      f.close();
      assert.equal(summaries[k].resets || 0, 0, `no stream was reset on h${k + 1}: ${JSON.stringify(summaries[k])}`);
    }
    const down = samples.map((s, k) => assertHealthTruthful(s, killedAt, lastSlaveAt, `h${k + 1}: `));
    for (const c of clusters) expectOk(await c.get('/healthz'), 200, `/healthz on ${c.host}`);
    for (const c of clusters) assert.deepEqual(c.unexpectedExits(), []);
    process.stderr.write(`# three hosts: promoted ${lastSlaveAt - killedAt} ms after the kill; acked ${acked.length}, ` +
      `refused ${JSON.stringify(refused)}, history ${want.length}; healthz down samples per host ${down.join('/')}; ` +
      `${JSON.stringify(summaries.map((s) => ({ clients: s.clients, connects: s.connects, errors: s.errors })))}\n`);
  });
});
