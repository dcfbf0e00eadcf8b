import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'mocha';
import { parsePortSpec } from '../../../src/spec/canonical/ports.js';
import { GantryError } from '../../../src/common/errors.js';
import { canonicalize } from '../../../src/spec/canonical.js';
import { positionAt } from '../../../src/spec/tree.js';
import { contextFor, FILE, plain, treeOf } from './yaml-tree.js';

function portsOf(yamlPorts: string, ctx = contextFor()) {
  const doc = canonicalize(treeOf(`services:\n  web:\n    ports:\n${yamlPorts}`), ctx);
  return plain((doc.services as any).web.ports);
}

function portError(spec: string): GantryError {
  try {
    portsOf(`      - "0"\n      - ${JSON.stringify(spec)}\n`);
  } catch (e) {
    assert.ok(e instanceof GantryError, String(e));
    return e;
  }
  assert.fail(`"${spec}" was accepted`);
}

describe('canonical: services.*.ports', () => {
  it('a lone container port', () => {
    assert.deepEqual(portsOf('      - "3000"\n'), [{ mode: 'ingress', target: 3000, protocol: 'tcp' }]);
  });

  it('a number', () => {
    assert.deepEqual(portsOf('      - 80\n'), [{ mode: 'ingress', target: 80, protocol: 'tcp' }]);
  });

  it('a container range gives one entry per port', () => {
    assert.deepEqual(portsOf('      - "3000-3002"\n'), [
      { mode: 'ingress', target: 3000, protocol: 'tcp' },
      { mode: 'ingress', target: 3001, protocol: 'tcp' },
      { mode: 'ingress', target: 3002, protocol: 'tcp' },
    ]);
  });

  it('host:container', () => {
    assert.deepEqual(portsOf('      - "8080:80"\n'), [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }]);
  });

  it('paired ranges', () => {
    assert.deepEqual(portsOf('      - "9090-9091:8080-8081"\n'), [
      { mode: 'ingress', target: 8080, published: '9090', protocol: 'tcp' },
      { mode: 'ingress', target: 8081, published: '9091', protocol: 'tcp' },
    ]);
  });

  it('a host range for one container port stays a range', () => {
    assert.deepEqual(portsOf('      - "8000-8010:80"\n'), [{ mode: 'ingress', target: 80, published: '8000-8010', protocol: 'tcp' }]);
  });

  it('an IPv4 host address', () => {
    assert.deepEqual(portsOf('      - "127.0.0.1:8001:8001"\n'), [
      { mode: 'ingress', host_ip: '127.0.0.1', target: 8001, published: '8001', protocol: 'tcp' },
    ]);
  });

  it('an IPv6 host address in brackets', () => {
    assert.deepEqual(portsOf('      - "[::1]:6001:6001"\n'), [
      { mode: 'ingress', host_ip: '::1', target: 6001, published: '6001', protocol: 'tcp' },
    ]);
  });

  it('a host address without a host port', () => {
    assert.deepEqual(portsOf('      - "127.0.0.1::80"\n'), [{ mode: 'ingress', host_ip: '127.0.0.1', target: 80, protocol: 'tcp' }]);
  });

  it('a protocol', () => {
    assert.deepEqual(portsOf('      - "6060:6060/udp"\n      - "7070/SCTP"\n'), [
      { mode: 'ingress', target: 6060, published: '6060', protocol: 'udp' },
      { mode: 'ingress', target: 7070, protocol: 'sctp' },
    ]);
  });

  it('a range across a digit boundary is ordered as compose-go orders it (as text)', () => {
    assert.deepEqual(
      portsOf('      - "9999-10000"\n').map((p: any) => p.target),
      [10000, 9999],
    );
  });

  it('long form gets protocol and mode, a numeric target and a text published port', () => {
    assert.deepEqual(portsOf('      - target: "80"\n        published: 8080\n        host_ip: 0.0.0.0\n'), [
      { mode: 'ingress', host_ip: '0.0.0.0', target: 80, published: '8080', protocol: 'tcp' },
    ]);
  });

  it('long form keeps what is written, in compose-go field order', () => {
    const out = portsOf('      - protocol: udp\n        target: 53\n        mode: host\n        name: dns\n        app_protocol: dns\n');
    assert.deepEqual(out, [{ name: 'dns', mode: 'host', target: 53, protocol: 'udp', app_protocol: 'dns' }]);
    assert.deepEqual(Object.keys(out[0]), ['name', 'mode', 'target', 'protocol', 'app_protocol']);
  });

  for (const [spec, why] of [
    ['80:abc', 'container port "abc" is not a port number or range'],
    ['70000', 'container port 70000 is out of range'],
    ['8080-8082:80-81', 'differ in length'],
    ['300.1.1.1:80:80', '"300.1.1.1" is not an IP address'],
    ['80/icmp', 'protocol "icmp"'],
    ['81-80', 'ends before it starts'],
    ['8080:', 'no container port'],
  ] as const) {
    it(`rejects "${spec}" with the path, the position and the valid forms`, () => {
      const e = portError(spec);
      assert.equal(e.kind, 'value');
      assert.equal(e.path, 'services.web.ports[1]');
      assert.deepEqual(e.position, { file: FILE, line: 5, col: 9 });
      assert.match(e.message, new RegExp(why.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      assert.match(e.hint ?? '', /"8080:80"/);
    });
  }

  it('rejects a long-form target that is not a port, at the target', () => {
    assert.throws(
      () => portsOf('      - target: "http"\n'),
      (e: GantryError) => e.kind === 'value' && e.path === 'services.web.ports[0].target' && e.position?.line === 4,
    );
  });

  it('entries made from one short port all point at it', () => {
    const doc = canonicalize(treeOf('services:\n  web:\n    ports:\n      - 80\n      - "3000-3001"\n'), contextFor());
    assert.deepEqual(positionAt(doc, ['services', 'web', 'ports', 2]), { file: FILE, line: 5, col: 9 });
    assert.deepEqual(positionAt(doc, ['services', 'web', 'ports', 2, 'target']), { file: FILE, line: 5, col: 9 });
    assert.deepEqual(positionAt(doc, ['services', 'web', 'ports', 0]), { file: FILE, line: 4, col: 9 });
  });

  it('without interpolation an unresolved port is passed through', () => {
    const ctx = contextFor({ interpolated: false });
    assert.deepEqual(portsOf('      - "${PORT}:80"\n      - target: "${T}"\n', ctx), ['${PORT}:80', { mode: 'ingress', target: '${T}', protocol: 'tcp' }]);
  });
});

describe('canonical: parsePortSpec properties', () => {
  const port = fc.integer({ min: 0, max: 65535 });
  const proto = fc.constantFrom('tcp', 'udp', 'sctp');

  it('HOST:CONTAINER/PROTO is one entry with those values', () => {
    fc.assert(
      fc.property(port, port, proto, (h, c, p) => {
        assert.deepEqual(parsePortSpec(`${h}:${c}/${p}`), [{ target: c, published: String(h), protocol: p }]);
      }),
    );
  });

  it('equal-length ranges pair port by port; every target appears once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65000 }), fc.integer({ min: 0, max: 65000 }), fc.integer({ min: 0, max: 20 }), (h, c, n) => {
        const out = parsePortSpec(`${h}-${h + n}:${c}-${c + n}`);
        assert.equal(out.length, n + 1);
        for (const e of out) assert.equal(Number(e.published) - h, e.target - c);
        assert.deepEqual(out.map((e) => e.target).sort((a, b) => a - b), Array.from({ length: n + 1 }, (_, i) => c + i));
      }),
    );
  });
});

describe('canonical: services.*.expose', () => {
  it('numbers become text and ranges stay', () => {
    const doc = canonicalize(treeOf('services:\n  web:\n    expose: [80, "3000-3005", "53/udp"]\n'), contextFor());
    assert.deepEqual(plain((doc.services as any).web.expose), ['80', '3000-3005', '53/udp']);
  });
});
