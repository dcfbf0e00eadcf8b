import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { CLASS_IN, decodeMessage, encodeMessage, RCODE, TYPE, type DnsMessage } from '../../../src/engine/networks/dns-message.js';
import { DnsServer, parseUpstream } from '../../../src/engine/networks/dns-server.js';
import { NameTable } from '../../../src/engine/networks/name-table.js';
import { askDns } from './host-fixture.js';

function askTcp(port: number, name: string): Promise<DnsMessage> {
  return new Promise((resolve, reject) => {
    const q = encodeMessage({ id: 42, rd: true, questions: [{ name, type: TYPE.A, class: CLASS_IN }] });
    const len = Buffer.alloc(2);
    len.writeUInt16BE(q.length);
    const s = connect(port, '127.0.0.1', () => s.write(Buffer.concat([len, q])));
    let got = Buffer.alloc(0);
    s.on('data', (d) => {
      got = Buffer.concat([got, d]);
      if (got.length >= 2 && got.length >= 2 + got.readUInt16BE(0)) {
        s.destroy();
        resolve(decodeMessage(got.subarray(2)));
      }
    });
    s.on('error', reject);
  });
}

describe('engine networks: DNS server on loopback', () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const names = new NameTable();
  names.addNetwork('n1', 'front', '10.99.0.0/24');
  names.add({ containerId: 'c1', networkId: 'n1', address: '10.99.0.2', names: ['web'] });
  // Upstream on a port nobody listens on: forwarded questions fail.
  const server = new DnsServer({
    address: '127.0.0.1',
    port,
    upstreams: [parseUpstream('127.0.0.1:9')],
    timeoutMs: 300,
    source: { resolve: (n, c) => names.resolve(n, 'n1', c), reverse: (a, c) => names.reverse(a, 'n1', c) },
  });
  before(() => server.start());
  after(() => server.stop());

  it('answers over TCP as over UDP', async () => {
    const m = await askTcp(port, 'web');
    assert.equal(m.id, 42);
    assert.deepEqual(m.answers.map((a) => a.data), ['10.99.0.2']);
  });

  it('says SERVFAIL when no upstream answers, and FORMERR for garbage', async () => {
    assert.equal((await askDns('127.0.0.1', 'example.invalid', TYPE.A, port)).rcode, RCODE.SERVFAIL);
    const reply = await new Promise<Buffer>((resolve) => {
      const s = createSocket('udp4');
      s.on('message', (m) => {
        s.close();
        resolve(m);
      });
      s.send(Buffer.from([0xbe, 0xef, 1, 0, 0, 1, 0]), port, '127.0.0.1');
    });
    assert.equal(reply.readUInt16BE(0), 0xbeef);
    assert.equal(reply[3]! & 0xf, RCODE.FORMERR);
  });

  it('answers reverse lookups for its addresses and NXDOMAIN for unknown ones in its subnet', async () => {
    assert.deepEqual((await askDns('127.0.0.1', '2.0.99.10.in-addr.arpa', TYPE.PTR, port)).answers.map((a) => a.data), ['web']);
    assert.equal((await askDns('127.0.0.1', '77.0.99.10.in-addr.arpa', TYPE.PTR, port)).rcode, RCODE.NXDOMAIN);
  });

  it('refuses to start on a port already taken, and says why', async () => {
    const other = new DnsServer({ address: '127.0.0.1', port, upstreams: [], source: { resolve: () => ({ kind: 'nxdomain' }), reverse: () => ({ kind: 'nxdomain' }) } });
    await assert.rejects(other.start(), new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: EADDRINUSE`));
  });
});
