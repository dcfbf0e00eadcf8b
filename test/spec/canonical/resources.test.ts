import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { GantryError } from '../../../src/common/errors.js';
import { canonicalize } from '../../../src/spec/canonical.js';
import { tagOf } from '../../../src/spec/tree.js';
import { contextFor, plain, treeOf } from './yaml-tree.js';

describe('canonical: top-level networks, volumes, secrets, configs', () => {
  it('an empty entry is an empty mapping', () => {
    const d = plain(canonicalize(treeOf('networks:\n  front:\nvolumes:\n  data:\nsecrets:\n  s:\n    file: s\nconfigs:\n  c:\n'), contextFor())) as any;
    assert.deepEqual(d.networks, { front: {} });
    assert.deepEqual(d.volumes, { data: {} });
    assert.deepEqual(d.configs, { c: {} });
  });

  it('legacy external.name becomes external: true and name, with a warning', () => {
    const ctx = contextFor();
    const d = plain(canonicalize(treeOf('networks:\n  outside:\n    external:\n      name: corp-net\n'), ctx)) as any;
    assert.deepEqual(d.networks, { outside: { external: true, name: 'corp-net' } });
    assert.equal(ctx.warnings[0]!.path, 'networks.outside.external');
  });

  it('external: {} is external: true', () => {
    const d = plain(canonicalize(treeOf('volumes:\n  v:\n    external: {}\n'), contextFor())) as any;
    assert.deepEqual(d.volumes, { v: { external: true } });
  });

  it('a name that contradicts external.name is an error', () => {
    assert.throws(
      () => canonicalize(treeOf('volumes:\n  v:\n    name: a\n    external: {name: b}\n'), contextFor()),
      (e: GantryError) => e.kind === 'value' && e.path === 'volumes.v.external' && e.position?.line === 4,
    );
  });

  it('booleans, labels and driver options are cast', () => {
    const d = plain(
      canonicalize(
        treeOf(
          'networks:\n  n:\n    internal: "true"\n    attachable: "no"\n    enable_ipv6: "false"\n    labels: [a=1]\n    driver_opts: {mtu: 1400}\n    ipam:\n      config:\n        - subnet: 10.0.0.0/24\n          aux_addresses: {host1: 10.0.0.5}\n',
        ),
        contextFor(),
      ),
    ) as any;
    assert.deepEqual(d.networks.n, {
      internal: true,
      attachable: false,
      enable_ipv6: false,
      labels: { a: '1' },
      driver_opts: { mtu: '1400' },
      ipam: { config: [{ subnet: '10.0.0.0/24', aux_addresses: { host1: '10.0.0.5' } }] },
    });
  });

  it('a local volume that binds a host directory gets an absolute device', () => {
    const d = plain(
      canonicalize(treeOf('volumes:\n  v:\n    driver: local\n    driver_opts: {type: none, o: bind, device: ./data}\n'), contextFor()),
    ) as any;
    assert.deepEqual(d.volumes.v.driver_opts, { type: 'none', o: 'bind', device: '/project/data' });
  });

  it('a !reset entry keeps its tag', () => {
    const doc = canonicalize(treeOf('volumes:\n  old: !reset null\n'), contextFor());
    assert.equal(tagOf(doc.volumes as object, 'old'), 'reset');
  });
});
