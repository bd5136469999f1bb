'use strict';
// Several "hosts" on one machine, for tests and bench/three_hosts: one
// network namespace per host, each with its own loopback and one veth whose
// other end is on a bridge in the root namespace. The bridge holds the
// subnet's .254, so the test process (in the root namespace) reaches every
// host on its address, and hosts reach each other through the bridge.
//
//   const { netnsUnavailable, createHosts } = require('../support/netns');
//   const skip = netnsUnavailable();               // a reason, or false
//   const net = await createHosts(3);              // net.hosts[i].{ns, addr, name}
//   spawn(...net.hosts[0].command('redis-server', [...]))  // runs inside h1
//   net.remove();                                  // also run at process exit
//
// Names are unique per run (a random tag: plb-<tag>-h1, bridge plb<tag>br),
// the /24 is a random 10.x.y.0/24 that no interface of the machine uses, so
// that test files running in parallel do not collide. Needs root and
// iproute2 (`ip netns`).
//
// Only Node.js built-ins.

const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');

function ip(args, { allowFailure = false } = {}) {
  const r = spawnSync('ip', args, { encoding: 'utf8', timeout: 10000 });
  if (!allowFailure && (r.error || r.status !== 0)) {
    throw new Error(`ip ${args.join(' ')} failed: ${r.error ? r.error.message : r.stderr.trim()}`);
  }
  return r;
}

// Why namespaces cannot be made here (not root, no iproute2, a container
// without the capability), or false when they can: tried, not guessed.
function netnsUnavailable() {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'needs root (ip netns)';
  const probe = `plb-probe-${crypto.randomBytes(4).toString('hex')}`;
  const added = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8', timeout: 10000 });
  if (added.error) return `ip netns is not available (${added.error.code === 'ENOENT' ? 'install iproute2' : added.error.message})`;
  if (added.status !== 0) return `ip netns add failed: ${added.stderr.trim()}`;
  ip(['netns', 'del', probe], { allowFailure: true });
  return false;
}

// A 10.x.y.0/24 that no address or route of the machine is in.
function freeSubnet() {
  const used = ip(['-4', '-o', 'addr']).stdout + ip(['-4', 'route']).stdout;
  for (let attempt = 0; attempt < 50; attempt++) {
    const x = 100 + crypto.randomInt(150);
    const y = crypto.randomInt(256);
    if (!used.includes(`10.${x}.${y}.`)) return `10.${x}.${y}`;
  }
  throw new Error('no free 10.x.y.0/24 found');
}

const live = new Set();
process.on('exit', () => { for (const n of live) n.remove(); });

class Hosts {
  constructor(count) {
    this.tag = crypto.randomBytes(3).toString('hex');
    this.bridge = `plb${this.tag}br`;
    this.subnet = freeSubnet();
    this.gateway = `${this.subnet}.254`;
    this.cidr = `${this.subnet}.0/24`;
    this.hosts = Array.from({ length: count }, (_, i) => {
      const ns = `plb-${this.tag}-h${i + 1}`;
      return {
        name: `h${i + 1}`,
        ns,
        addr: `${this.subnet}.${i + 1}`,
        veth: `plb${this.tag}h${i + 1}`,
        // [cmd, args] that run cmd inside this host: for spawn() and run().
        command: (cmd, args = []) => ['ip', ['netns', 'exec', ns, cmd, ...args]],
      };
    });
    this.removed = false;
  }

  create() {
    live.add(this);
    ip(['link', 'add', this.bridge, 'type', 'bridge']);
    ip(['addr', 'add', `${this.gateway}/24`, 'dev', this.bridge]);
    ip(['link', 'set', this.bridge, 'up']);
    for (const h of this.hosts) {
      ip(['netns', 'add', h.ns]);
      ip(['link', 'add', h.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', h.ns]);
      ip(['link', 'set', h.veth, 'master', this.bridge]);
      ip(['link', 'set', h.veth, 'up']);
      ip(['-n', h.ns, 'link', 'set', 'lo', 'up']);
      ip(['-n', h.ns, 'addr', 'add', `${h.addr}/24`, 'dev', 'eth0']);
      ip(['-n', h.ns, 'link', 'set', 'eth0', 'up']);
    }
    return this;
  }

  // Deleting a namespace deletes its end of the veth, and so the pair.
  // Processes still inside keep it alive: stop them first.
  remove() {
    if (this.removed) return;
    this.removed = true;
    live.delete(this);
    for (const h of this.hosts) ip(['netns', 'del', h.ns], { allowFailure: true });
    ip(['link', 'del', this.bridge], { allowFailure: true });
  }
}

function createHosts(count) {
  return new Hosts(count).create();
}

module.exports = { netnsUnavailable, createHosts };
