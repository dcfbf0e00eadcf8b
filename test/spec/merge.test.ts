import assert from 'node:assert/strict';
import { mergeDocuments, settleTags } from '../../src/spec/merge.js';
import { parseComposeYaml } from '../../src/spec/read.js';
import { childPosition, type Mapping } from '../../src/spec/tree.js';

const doc = (text: string, file = 'a.yaml') => parseComposeYaml(text, file);
const svc = (m: Mapping, name = 'web') => (m.services as Mapping)[name] as Mapping;
const port = (published: string, target: number, host_ip?: string) => ({ target, published, protocol: 'tcp', mode: 'ingress', ...(host_ip ? { host_ip } : {}) });

describe('multi-file merge', () => {
  it('merges mappings recursively; later scalars win', () => {
    const m = mergeDocuments(doc('services:\n  web:\n    image: a\n    environment: {A: "1", B: "1"}\n'), doc('services:\n  web:\n    image: b\n    environment: {B: "2", C: "3"}\n  db:\n    image: d\n'));
    assert.deepEqual(m, { services: { web: { image: 'b', environment: { A: '1', B: '2', C: '3' } }, db: { image: 'd' } } });
  });

  it('replaces command, entrypoint and healthcheck.test', () => {
    const m = mergeDocuments(
      { services: { web: { command: ['a', 'b'], entrypoint: ['x'], healthcheck: { test: ['CMD', 'a'], retries: 3 } } } },
      { services: { web: { command: ['c'], entrypoint: ['y', 'z'], healthcheck: { test: ['CMD-SHELL', 'b'] } } } },
    );
    assert.deepEqual(svc(m), { command: ['c'], entrypoint: ['y', 'z'], healthcheck: { test: ['CMD-SHELL', 'b'], retries: 3 } });
  });

  it('ports are unique by host ip, published, target and protocol', () => {
    const m = mergeDocuments({ services: { web: { ports: [port('80', 80), port('443', 443)] } } }, { services: { web: { ports: [port('80', 80), port('80', 80, '127.0.0.1'), port('8080', 8080)] } } });
    assert.deepEqual((svc(m).ports as Mapping[]).map((p) => `${p.host_ip ?? ''}:${p.published}:${p.target}`), [':80:80', ':443:443', '127.0.0.1:80:80', ':8080:8080']);
  });

  it('volumes, secrets and configs are unique by target; same target merges', () => {
    const m = mergeDocuments(
      { services: { web: { volumes: [{ type: 'volume', source: 'a', target: '/data' }, { type: 'bind', source: '/x', target: '/x' }], secrets: [{ source: 's', target: '/run/secrets/s' }] } } },
      { services: { web: { volumes: [{ type: 'volume', source: 'b', target: '/data', read_only: true }], secrets: [{ source: 's', target: '/run/secrets/s', mode: 256 }, { source: 't' }] } } },
    );
    assert.deepEqual(svc(m).volumes, [{ type: 'volume', source: 'b', target: '/data', read_only: true }, { type: 'bind', source: '/x', target: '/x' }]);
    assert.deepEqual(svc(m).secrets, [{ source: 's', target: '/run/secrets/s', mode: 256 }, { source: 't' }]);
  });

  it('appends other sequences, de-duplicating the set-like ones', () => {
    const m = mergeDocuments(
      { services: { web: { dns: ['1.1.1.1'], cap_add: ['NET_ADMIN'], expose: ['80'], env_file: [{ path: '/a', required: true }], sysctls_list: ['x'] } } },
      { services: { web: { dns: ['1.1.1.1', '8.8.8.8'], cap_add: ['NET_ADMIN', 'SYS_TIME'], expose: ['80', '81'], env_file: [{ path: '/a', required: true }, { path: '/b', required: true }], sysctls_list: ['x'] } } },
    );
    assert.deepEqual(svc(m).dns, ['1.1.1.1', '8.8.8.8']);
    assert.deepEqual(svc(m).cap_add, ['NET_ADMIN', 'SYS_TIME']);
    assert.deepEqual(svc(m).expose, ['80', '81']);
    assert.deepEqual((svc(m).env_file as Mapping[]).map((e) => e.path), ['/a', '/b']);
    assert.deepEqual(svc(m).sysctls_list, ['x', 'x']);
  });

  it('logging: another driver replaces the block, the same driver merges options', () => {
    const base = { services: { web: { logging: { driver: 'json-file', options: { 'max-size': '1m' } } } } };
    assert.deepEqual(svc(mergeDocuments(base, { services: { web: { logging: { driver: 'syslog', options: { tag: 'x' } } } } })).logging, { driver: 'syslog', options: { tag: 'x' } });
    assert.deepEqual(svc(mergeDocuments(base, { services: { web: { logging: { options: { 'max-file': '3' } } } } })).logging, { driver: 'json-file', options: { 'max-size': '1m', 'max-file': '3' } });
  });

  it('!reset removes a key and !override replaces without merging', () => {
    const base = doc('services:\n  web:\n    image: a\n    ports: ["80:80"]\n    environment: {A: "1", B: "2"}\n    labels: {x: "1"}\n');
    const over = doc('services:\n  web:\n    ports: !reset []\n    environment:\n      A: !reset null\n    labels: !override {y: "2"}\n');
    const m = settleTags(mergeDocuments(base, over));
    assert.deepEqual(svc(m), { image: 'a', environment: { B: '2' }, labels: { y: '2' } });
  });

  it('a tag in a single file settles: !reset drops the key', () => {
    assert.deepEqual(settleTags(doc('services:\n  web:\n    image: a\n    ports: !reset ["1:1"]\n')), { services: { web: { image: 'a' } } });
  });

  it('top-level resources and extensions merge by key; the inputs are not changed', () => {
    const a = { networks: { front: { driver: 'bridge' } }, volumes: { data: {} }, 'x-meta': { a: 1 } };
    const b = { networks: { front: { internal: true }, back: {} }, 'x-meta': { b: 2 } };
    const m = mergeDocuments(a, b);
    assert.deepEqual(m, { networks: { front: { driver: 'bridge', internal: true }, back: {} }, volumes: { data: {} }, 'x-meta': { a: 1, b: 2 } });
    assert.deepEqual(a.networks.front, { driver: 'bridge' });
  });

  it('a key with no value in the override adds nothing', () => {
    const m = mergeDocuments({ services: { web: { networks: { front: { aliases: ['w'] } } } } }, { services: { web: { networks: { front: null } } } });
    assert.deepEqual(svc(m).networks, { front: { aliases: ['w'] } });
  });

  it('positions follow the value that won', () => {
    const m = mergeDocuments(doc('services:\n  web:\n    image: a\n', 'base.yaml'), doc('services:\n  web:\n    image: b\n', 'over.yaml'));
    assert.deepEqual(childPosition(svc(m), 'image'), { file: 'over.yaml', line: 3, col: 12 });
  });
});
