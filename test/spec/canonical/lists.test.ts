import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { canonicalize } from '../../../src/spec/canonical.js';
import { contextFor, plain, treeOf } from './yaml-tree.js';

const web = (yaml: string) => (plain(canonicalize(treeOf(`services:\n  web:\n${yaml}`), contextFor()).services) as any).web;

describe('canonical: string-or-list and name lists', () => {
  it('tmpfs, dns, dns_search: a string becomes a list', () => {
    const s = web('    tmpfs: /run\n    dns: 8.8.8.8\n    dns_search: example.com\n    dns_opt: [use-vc]\n');
    assert.deepEqual(s.tmpfs, ['/run']);
    assert.deepEqual(s.dns, ['8.8.8.8']);
    assert.deepEqual(s.dns_search, ['example.com']);
    assert.deepEqual(s.dns_opt, ['use-vc']);
  });

  it('empty dns entries (an unset variable) are dropped', () => {
    assert.deepEqual(web('    dns: ["", 1.1.1.1]\n').dns, ['1.1.1.1']);
    assert.deepEqual(web('    dns: ""\n').dns, []);
  });

  it('service networks and models: a list of names → mapping to null', () => {
    const s = web('    networks: [front, back]\n    models: [llm]\n');
    assert.deepEqual(s.networks, { front: null, back: null });
    assert.deepEqual(s.models, { llm: null });
  });

  it('service networks: a mapping stays, with driver options as text', () => {
    assert.deepEqual(web('    networks:\n      front:\n        aliases: [w]\n        driver_opts: {mtu: 9000}\n      back:\n').networks, {
      front: { aliases: ['w'], driver_opts: { mtu: '9000' } },
      back: null,
    });
  });

  it('gpus: all → one request for every GPU; counts are cast', () => {
    assert.deepEqual(web('    gpus: all\n').gpus, [{ count: 'all' }]);
    assert.deepEqual(web('    gpus: [{driver: nvidia, count: "2"}]\n').gpus, [{ driver: 'nvidia', count: 2 }]);
  });

  it('group_add numbers become text', () => {
    assert.deepEqual(web('    group_add: [mail, 1001]\n').group_add, ['mail', '1001']);
  });

  it('develop.watch: paths absolute, ignore/include lists', () => {
    assert.deepEqual(web('    develop:\n      watch:\n        - path: ./src\n          action: sync\n          target: /app/src\n          ignore: node_modules/\n').develop, {
      watch: [{ path: '/project/src', action: 'sync', target: '/app/src', ignore: ['node_modules/'] }],
    });
  });
});
