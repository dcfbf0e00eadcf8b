import assert from 'node:assert/strict';
import { CLASS_IN, decodeMessage, DnsFormatError, encodeMessage, RCODE, TYPE } from '../../../src/engine/networks/dns-message.js';

describe('engine networks: DNS messages', () => {
  it('round-trips a query and an answer with A, AAAA and PTR records', () => {
    const q = encodeMessage({ id: 0x1234, rd: true, questions: [{ name: 'web.example', type: TYPE.A, class: CLASS_IN }] });
    const dq = decodeMessage(q);
    assert.equal(dq.id, 0x1234);
    assert.equal(dq.rd, true);
    assert.equal(dq.qr, false);
    assert.deepEqual(dq.questions, [{ name: 'web.example', type: TYPE.A, class: CLASS_IN }]);

    const a = encodeMessage({
      id: 7, qr: true, aa: true, ra: true, rcode: RCODE.NOERROR, questions: dq.questions,
      answers: [
        { name: 'web.example', type: TYPE.A, class: CLASS_IN, ttl: 600, data: '10.80.0.2' },
        { name: 'web.example', type: TYPE.AAAA, class: CLASS_IN, ttl: 600, data: 'fd00::1' },
        { name: '2.0.80.10.in-addr.arpa', type: TYPE.PTR, class: CLASS_IN, ttl: 5, data: 'web' },
      ],
    });
    const da = decodeMessage(a);
    assert.equal(da.qr, true);
    assert.equal(da.aa, true);
    assert.deepEqual(da.answers.map((r) => r.data), ['10.80.0.2', 'fd00:0:0:0:0:0:0:1', 'web']);
    assert.equal(da.answers[2]!.ttl, 5);
  });

  it('follows compression pointers when reading (RFC 1035 4.1.4)', () => {
    // Header (1 question, 1 answer), question "a.example", answer whose
    // name is a pointer to offset 12 and whose CNAME data is "www" + pointer.
    const header = Buffer.from([0, 9, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]);
    const qname = Buffer.from([1, 0x61, 7, ...Buffer.from('example'), 0]);
    const qtail = Buffer.from([0, 1, 0, 1]);
    const cname = Buffer.from([3, ...Buffer.from('www'), 0xc0, 14]);
    const ans = Buffer.concat([Buffer.from([0xc0, 12, 0, TYPE.CNAME, 0, 1, 0, 0, 0, 60, 0, cname.length]), cname]);
    const m = decodeMessage(Buffer.concat([header, qname, qtail, ans]));
    assert.equal(m.questions[0]!.name, 'a.example');
    assert.equal(m.answers[0]!.name, 'a.example');
    assert.equal(m.answers[0]!.data, 'www.example');
    assert.equal(m.rcode, RCODE.NOERROR);
    assert.equal(m.ra, true);
  });

  it('rejects truncated messages, pointer loops and oversized labels with a format error', () => {
    assert.throws(() => decodeMessage(Buffer.from([0, 1, 0])), DnsFormatError);
    const loop = Buffer.concat([Buffer.from([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]), Buffer.from([0xc0, 12, 0, 1, 0, 1])]);
    assert.throws(() => decodeMessage(loop), /loop/);
    assert.throws(() => encodeMessage({ id: 1, questions: [{ name: `${'x'.repeat(64)}.example`, type: TYPE.A, class: CLASS_IN }] }), /1 to 63 bytes/);
    assert.throws(() => encodeMessage({ id: 1, answers: [{ name: 'x', type: TYPE.A, class: CLASS_IN, ttl: 1, data: '300.1.1.1' }] }), /not an IPv4 address/);
  });

  it('keeps unknown record data raw (e.g. an EDNS OPT record) and writes it back unchanged', () => {
    const opt = { name: '', type: TYPE.OPT, class: 1232, ttl: 0, data: Buffer.from([0, 10, 0, 2, 0xab, 0xcd]) };
    const m = decodeMessage(encodeMessage({ id: 3, questions: [{ name: 'x', type: TYPE.A, class: CLASS_IN }], additionals: [opt] }));
    assert.deepEqual(m.additionals[0], opt);
  });
});
