'use strict';
// A TCP fault proxy for the fault tests: listens on a loopback port, forwards
// every connection to a target (Redis), and can make one connection
// misbehave the way a broken network does.
//
//   const proxy = new FaultProxy();
//   await proxy.listen();                       // proxy.port
//   proxy.setTarget('127.0.0.1', redisPort);    // before the first connection
//   const sub = await proxy.waitForConnection((c) => c.sawCommand('SUBSCRIBE'));
//   proxy.blackhole(sub);                       // open, but silent both ways
//   proxy.heal(sub);                            // or: proxy.close()
//
// A blackholed connection keeps both sockets open and stops forwarding in
// either direction; whatever arrives meanwhile is dropped (like packets lost
// on a partitioned link), so healing it later does not replay stale bytes.
// Connections record the first bytes the client sent (up to 64 KiB), enough
// to recognise a Redis client by its commands (sawCommand, case-insensitive,
// looks at RESP bulk strings and inline commands).
//
// Only Node.js built-ins; works on Node 18 and 20. close() ends every
// socket, so a test that fails halfway leaves nothing open.

const net = require('node:net');
const { EventEmitter } = require('node:events');

const SNIFF_BYTES = 64 * 1024;

class ProxiedConnection {
  constructor(proxy, id, client) {
    this.proxy = proxy;
    this.id = id;
    this.client = client;
    this.upstream = null;
    this.sent = Buffer.alloc(0);  // first bytes from the client
    this.blackholed = false;
    this.closed = false;
    this.bytesUp = 0;
    this.bytesDown = 0;
    this.droppedUp = 0;
    this.droppedDown = 0;
    this.openedAt = Date.now();
  }

  // True when the client sent `command` (e.g. 'SUBSCRIBE') as a Redis
  // command name, in RESP or inline form.
  sawCommand(command) {
    const text = this.sent.toString('latin1').toUpperCase();
    const c = command.toUpperCase();
    return text.includes(`$${c.length}\r\n${c}\r\n`) || text.startsWith(`${c} `) || text.includes(`\n${c} `);
  }

  _sniff(chunk) {
    if (this.sent.length < SNIFF_BYTES) this.sent = Buffer.concat([this.sent, chunk.subarray(0, SNIFF_BYTES - this.sent.length)]);
  }

  destroy() {
    if (this.closed) return;
    this.closed = true;
    this.client.destroy();
    if (this.upstream) this.upstream.destroy();
    this.proxy.connections.delete(this);
    this.proxy.emit('close', this);
  }
}

class FaultProxy extends EventEmitter {
  constructor({ targetHost = '127.0.0.1', targetPort = 0 } = {}) {
    super();
    this.setMaxListeners(0);
    this.target = { host: targetHost, port: targetPort };
    this.connections = new Set();
    this.history = [];  // every connection ever accepted, in order
    this.port = 0;
    this.server = null;
    this._next = 1;
  }

  setTarget(host, port) {
    this.target = { host, port };
  }

  listen(host = '127.0.0.1') {
    return new Promise((resolve, reject) => {
      this.server = net.createServer((client) => this._accept(client));
      this.server.on('error', reject);
      this.server.listen(0, host, () => {
        this.port = this.server.address().port;
        resolve(this.port);
      });
    });
  }

  _accept(client) {
    const conn = new ProxiedConnection(this, this._next++, client);
    this.connections.add(conn);
    this.history.push(conn);
    client.setNoDelay(true);
    const upstream = net.connect(this.target);
    conn.upstream = upstream;
    upstream.setNoDelay(true);
    client.on('data', (d) => {
      conn._sniff(d);
      if (conn.blackholed) { conn.droppedUp += d.length; return; }
      conn.bytesUp += d.length;
      upstream.write(d);
      this.emit('data', conn);
    });
    upstream.on('data', (d) => {
      if (conn.blackholed) { conn.droppedDown += d.length; return; }
      conn.bytesDown += d.length;
      client.write(d);
    });
    // A blackholed link does not carry a close either: the peer keeps
    // waiting, as it would behind a dead router.
    const onEnd = () => { if (!conn.blackholed) conn.destroy(); };
    client.on('end', onEnd);
    upstream.on('end', onEnd);
    client.on('close', () => conn.destroy());
    upstream.on('close', () => { if (!conn.blackholed) conn.destroy(); });
    client.on('error', () => conn.destroy());
    upstream.on('error', () => { if (!conn.blackholed) conn.destroy(); });
    this.emit('connection', conn);
  }

  // Open connections for which predicate(conn) holds.
  find(predicate = () => true) {
    return [...this.connections].filter(predicate);
  }

  // Resolves the first open connection (existing or future) matching
  // predicate; rejects after timeoutMs.
  waitForConnection(predicate, timeoutMs = 10000) {
    const found = this.find(predicate)[0];
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const c = this.find(predicate)[0];
        if (c) { cleanup(); resolve(c); }
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.off('data', check);
        this.off('connection', check);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no proxied connection matched within ${timeoutMs} ms (${this.connections.size} open)`));
      }, timeoutMs);
      this.on('data', check);
      this.on('connection', check);
    });
  }

  // Keeps the connection open but forwards nothing either way from now on.
  blackhole(conn) {
    conn.blackholed = true;
    conn.blackholedAt = Date.now();
  }

  // Forwards again (bytes dropped meanwhile are lost).
  heal(conn) {
    conn.blackholed = false;
  }

  // Closes one connection abruptly (RST where the platform allows).
  reset(conn) {
    if (conn.client.resetAndDestroy) conn.client.resetAndDestroy();
    conn.destroy();
  }

  async close() {
    for (const conn of [...this.connections]) conn.destroy();
    if (this.server) await new Promise((resolve) => this.server.close(() => resolve()));
    this.server = null;
  }
}

module.exports = { FaultProxy, ProxiedConnection };
