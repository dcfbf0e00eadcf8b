import assert from 'node:assert/strict';
import { extendService, mergeDocuments, settleTags } from '../../src/spec/merge.js';
import { parseComposeYaml } from '../../src/spec/read.js';
import { childPosition, keyPosition, setChildPosition, setKeyPosition, setTag, stillUntagged, tagOf, type Mapping, type MergeTag, type Node } from '../../src/spec/tree.js';

// Canonical trees are built by hand: the reader and canonical.ts are other stages.
const svc = (m: Mapping, name = 'web') => (m.services as Mapping)[name] as Mapping;
const web = (attrs: Mapping): Mapping => ({ services: { web: attrs } });
const merged = (base: Mapping, over: Mapping): Mapping => svc(mergeDocuments(web(base), web(over)));
const port = (target: number, published?: string, extra: Mapping = {}): Mapping => ({
  target,
  ...(published === undefined ? {} : { published }),
  protocol: 'tcp',
  mode: 'ingress',
  ...extra,
});
function tag<T extends object>(obj: T, key: string | number, t: MergeTag): T {
  setTag(obj, key, t);
  return obj;
}
const at = (file: string, line: number, col = 1) => ({ file, line, col });
/** A mapping whose entries are each written at `file:line` (line = index + 1). */
function written<T extends Mapping | Node[]>(file: string, node: T): T {
  const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
  keys.forEach((k, i) => setChildPosition(node, k, at(file, i + 1)));
  return node;
}

describe('multi-file merge', () => {
  describe('default rules', () => {
    it('merges mappings key by key: later scalars win, new keys are added after the earlier ones', () => {
      const m = mergeDocuments(
        { services: { web: { image: 'a', restart: 'always', environment: { A: '1', B: '1' } } } },
        { services: { web: { image: 'b', user: 'me', environment: { B: '2', C: '3' } }, db: { image: 'd' } } },
      );
      assert.deepEqual(m, { services: { web: { image: 'b', restart: 'always', environment: { A: '1', B: '2', C: '3' }, user: 'me' }, db: { image: 'd' } } });
      assert.deepEqual(Object.keys(svc(m)), ['image', 'restart', 'environment', 'user']);
    });

    it('appends sequences that have no rule of their own', () => {
      const m = merged(
        { volumes_from: ['a'], group_add: ['audio'], label_file: ['/l1'], post_start: [{ command: ['x'] }], develop: { watch: [{ path: '/src', action: 'sync' }] } },
        { volumes_from: ['a', 'b'], group_add: ['video'], label_file: ['/l1'], post_start: [{ command: ['y'] }], develop: { watch: [{ path: '/src', action: 'sync' }] } },
      );
      assert.deepEqual(m.volumes_from, ['a', 'a', 'b']);
      assert.deepEqual(m.group_add, ['audio', 'video']);
      assert.deepEqual(m.label_file, ['/l1', '/l1']);
      assert.deepEqual(m.post_start, [{ command: ['x'] }, { command: ['y'] }]);
      assert.equal((m.develop as Mapping).watch && ((m.develop as Mapping).watch as Node[]).length, 2);
    });

    it('a key written with no value adds nothing; a null earlier value is replaced', () => {
      const m = merged({ networks: { front: { aliases: ['w'] }, back: null } }, { networks: { front: null, back: { priority: 1 } } });
      assert.deepEqual(m.networks, { front: { aliases: ['w'] }, back: { priority: 1 } });
    });

    it('a value of another type replaces the earlier one', () => {
      assert.deepEqual(merged({ x: ['a'] }, { x: { a: 1 } }).x, { a: 1 });
    });
  });

  describe('rows of the rule table', () => {
    it('replaces command, entrypoint and healthcheck.test whole; the rest of healthcheck merges', () => {
      const m = merged(
        { command: ['a', 'b'], entrypoint: ['x'], healthcheck: { test: ['CMD', 'a'], retries: 3 } },
        { command: ['c'], entrypoint: ['y', 'z'], healthcheck: { test: ['CMD-SHELL', 'b'], interval: '5s' } },
      );
      assert.deepEqual(m, { command: ['c'], entrypoint: ['y', 'z'], healthcheck: { test: ['CMD-SHELL', 'b'], retries: 3, interval: '5s' } });
    });

    it('replaces a ulimit named again whole, keeps the others', () => {
      const m = merged({ ulimits: { nofile: { soft: 1, hard: 2 }, nproc: 10 } }, { ulimits: { nofile: { soft: 3 } } });
      assert.deepEqual(m.ulimits, { nofile: { soft: 3 }, nproc: 10 });
    });

    for (const attr of ['environment', 'labels', 'annotations', 'sysctls', 'storage_opt']) {
      it(`${attr}: entries merge by key and a later entry wins, even a bare one`, () => {
        const m = merged({ [attr]: { A: '1', B: '1' } }, { [attr]: { B: null, C: '3' } });
        assert.deepEqual(m[attr], { A: '1', B: null, C: '3' });
      });
    }

    it('build merges as a mapping: args, labels, additional contexts and ssh by key, tags as a set', () => {
      const m = merged(
        { build: { context: '/a', dockerfile: 'Dockerfile', args: { A: '1', B: '1' }, labels: { l: 'x' }, additional_contexts: { x: '/x' }, ssh: { default: null }, tags: ['t:1'], cache_from: ['c1'] } },
        { build: { context: '/b', args: { B: null }, labels: { m: 'y' }, additional_contexts: { y: '/y' }, ssh: { key: '/k' }, tags: ['t:1', 't:2'], cache_from: ['c1'] } },
      );
      assert.deepEqual(m.build, {
        context: '/b',
        dockerfile: 'Dockerfile',
        args: { A: '1', B: null },
        labels: { l: 'x', m: 'y' },
        additional_contexts: { x: '/x', y: '/y' },
        ssh: { default: null, key: '/k' },
        tags: ['t:1', 't:2'],
        cache_from: ['c1', 'c1'],
      });
    });

    it('deploy.labels merge by key; placement constraints are a set', () => {
      const m = merged({ deploy: { labels: { a: '1' }, replicas: 1, placement: { constraints: ['node.role==worker'] } } }, { deploy: { labels: { b: '2' }, replicas: 2, placement: { constraints: ['node.role==worker', 'x==y'] } } });
      assert.deepEqual(m.deploy, { labels: { a: '1', b: '2' }, replicas: 2, placement: { constraints: ['node.role==worker', 'x==y'] } });
    });

    it('ports are unique by host ip, published, target and protocol; the later one takes the earlier place', () => {
      const m = merged(
        { ports: [port(80, '80'), port(443, '443'), port(53, '53', { protocol: 'udp' })] },
        { ports: [port(80, '80', { mode: 'host' }), port(80, '80', { host_ip: '127.0.0.1' }), port(53, '53'), port(80, '80', { host_ip: '0.0.0.0', name: 'web' })] },
      );
      assert.deepEqual(m.ports, [
        port(80, '80', { host_ip: '0.0.0.0', name: 'web' }),
        port(443, '443'),
        port(53, '53', { protocol: 'udp' }),
        port(80, '80', { host_ip: '127.0.0.1' }),
        port(53, '53'),
      ]);
    });

    it('ports without a published port are one per target and protocol', () => {
      assert.deepEqual(merged({ ports: [port(80)] }, { ports: [port(80), port(81)] }).ports, [port(80), port(81)]);
    });

    it('volumes are unique by target: the later mount replaces the earlier one whole', () => {
      const m = merged(
        { volumes: [{ type: 'volume', source: 'a', target: '/data', volume: { nocopy: true } }, { type: 'bind', source: '/x', target: '/x' }] },
        { volumes: [{ type: 'volume', source: 'b', target: '/data', read_only: true }, { type: 'tmpfs', target: '/t' }] },
      );
      assert.deepEqual(m.volumes, [{ type: 'volume', source: 'b', target: '/data', read_only: true }, { type: 'bind', source: '/x', target: '/x' }, { type: 'tmpfs', target: '/t' }]);
    });

    it('secrets are unique by target, a missing target being /run/secrets/<source>', () => {
      const m = merged({ secrets: [{ source: 's' }, { source: 'k', target: '/etc/k' }] }, { secrets: [{ source: 's', target: '/run/secrets/s', mode: 256 }, { source: 'k2', target: '/etc/k' }, { source: 't' }] });
      assert.deepEqual(m.secrets, [{ source: 's', target: '/run/secrets/s', mode: 256 }, { source: 'k2', target: '/etc/k' }, { source: 't' }]);
    });

    it('configs are unique by target, a missing target being /<source>', () => {
      const m = merged({ configs: [{ source: 'c' }, { source: 'd', target: '/run/secrets/d' }] }, { configs: [{ source: 'c', target: '/c', uid: '1' }, { source: 'd' }] });
      assert.deepEqual(m.configs, [{ source: 'c', target: '/c', uid: '1' }, { source: 'd', target: '/run/secrets/d' }, { source: 'd' }]);
    });

    it('devices are unique by target', () => {
      const m = merged({ devices: [{ source: '/dev/a', target: '/dev/x', permissions: 'rwm' }] }, { devices: [{ source: '/dev/b', target: '/dev/x', permissions: 'r' }, { source: '/dev/c', target: '/dev/c', permissions: 'rwm' }] });
      assert.deepEqual(m.devices, [{ source: '/dev/b', target: '/dev/x', permissions: 'r' }, { source: '/dev/c', target: '/dev/c', permissions: 'rwm' }]);
    });

    it('env_file is unique by path', () => {
      const m = merged({ env_file: [{ path: '/a', required: true }, { path: '/b', required: true }] }, { env_file: [{ path: '/a', required: false }, { path: '/c', required: true }] });
      assert.deepEqual(m.env_file, [{ path: '/a', required: false }, { path: '/b', required: true }, { path: '/c', required: true }]);
    });

    it('blkio device rates are unique by device path', () => {
      const m = merged({ blkio_config: { weight: 10, device_read_bps: [{ path: '/dev/sda', rate: 1 }] } }, { blkio_config: { device_read_bps: [{ path: '/dev/sda', rate: 2 }, { path: '/dev/sdb', rate: 3 }] } });
      assert.deepEqual(m.blkio_config, { weight: 10, device_read_bps: [{ path: '/dev/sda', rate: 2 }, { path: '/dev/sdb', rate: 3 }] });
    });

    const sets: [string, Node[], Node[], Node[]][] = [
      ['cap_add', ['NET_ADMIN', 'SYS_TIME'], ['SYS_TIME', 'CHOWN'], ['NET_ADMIN', 'SYS_TIME', 'CHOWN']],
      ['cap_drop', ['ALL'], ['ALL', 'NET_RAW'], ['ALL', 'NET_RAW']],
      ['dns', ['1.1.1.1'], ['1.1.1.1', '8.8.8.8'], ['1.1.1.1', '8.8.8.8']],
      ['dns_opt', ['ndots:2'], ['ndots:2', 'use-vc'], ['ndots:2', 'use-vc']],
      ['dns_search', ['a.example'], ['b.example', 'a.example'], ['a.example', 'b.example']],
      ['expose', ['80'], ['80', '81/udp'], ['80', '81/udp']],
      ['links', ['db', 'cache:c'], ['db', 'cache:c'], ['db', 'cache:c']],
      ['profiles', ['debug'], ['debug', 'tools'], ['debug', 'tools']],
      ['tmpfs', ['/run'], ['/run', '/tmp'], ['/run', '/tmp']],
      ['extra_hosts', ['a=1.2.3.4'], ['a=1.2.3.4', 'b=::1'], ['a=1.2.3.4', 'b=::1']],
      ['security_opt', ['label:role:ROLE'], ['label:role:ROLE', 'label:user:USER'], ['label:role:ROLE', 'label:user:USER']],
      ['external_links', ['redis'], ['redis', 'db:mysql'], ['redis', 'db:mysql']],
      ['device_cgroup_rules', ['c 1:3 mr'], ['c 1:3 mr', 'a 7:* rmw'], ['c 1:3 mr', 'a 7:* rmw']],
    ];
    for (const [attr, a, b, want] of sets) {
      it(`${attr} is a set: appended without repeats`, () => {
        assert.deepEqual(merged({ [attr]: a }, { [attr]: b })[attr], want);
      });
    }

    it('service networks merge by name; aliases are a set', () => {
      const m = merged({ networks: { front: { aliases: ['a'], priority: 1 }, back: null } }, { networks: { front: { aliases: ['a', 'b'], ipv4_address: '10.0.0.2' }, extra: null } });
      assert.deepEqual(m.networks, { front: { aliases: ['a', 'b'], priority: 1, ipv4_address: '10.0.0.2' }, back: null, extra: null });
    });

    it('depends_on merges by service name, each dependency key by key', () => {
      const m = merged(
        { depends_on: { db: { condition: 'service_started', required: true }, cache: { condition: 'service_started', required: true } } },
        { depends_on: { db: { condition: 'service_healthy', restart: true, required: true }, queue: { condition: 'service_started', required: false } } },
      );
      assert.deepEqual(m.depends_on, {
        db: { condition: 'service_healthy', required: true, restart: true },
        cache: { condition: 'service_started', required: true },
        queue: { condition: 'service_started', required: false },
      });
    });

    it('logging: another driver replaces the block; the same driver, or none, merges the options', () => {
      const base = { logging: { driver: 'json-file', options: { 'max-size': '1m' } } };
      assert.deepEqual(merged(base, { logging: { driver: 'syslog', options: { tag: 'x' } } }).logging, { driver: 'syslog', options: { tag: 'x' } });
      assert.deepEqual(merged(base, { logging: { driver: 'json-file', options: { 'max-file': '3' } } }).logging, { driver: 'json-file', options: { 'max-size': '1m', 'max-file': '3' } });
      assert.deepEqual(merged(base, { logging: { options: { 'max-size': '2m' } } }).logging, { driver: 'json-file', options: { 'max-size': '2m' } });
      assert.deepEqual(merged({ logging: { options: { a: '1' } } }, { logging: { driver: 'local' } }).logging, { options: { a: '1' }, driver: 'local' });
    });

    it('top-level resources, models, name and extensions merge by key', () => {
      const a = { name: 'one', networks: { front: { driver: 'bridge', labels: { a: '1' } } }, volumes: { data: {} }, secrets: { s: { file: '/s' } }, configs: { c: { file: '/c' } }, models: { m: { model: 'ai/x' } }, 'x-meta': { a: 1 } };
      const b = { name: 'two', networks: { front: { internal: true, labels: { b: '2' } }, back: {} }, volumes: { data: { driver: 'local' } }, secrets: { t: { file: '/t' } }, configs: { c: { file: '/c2' } }, models: { m: { context_size: 10 } }, 'x-meta': { b: 2 } };
      assert.deepEqual(mergeDocuments(a, b), {
        name: 'two',
        networks: { front: { driver: 'bridge', labels: { a: '1', b: '2' }, internal: true }, back: {} },
        volumes: { data: { driver: 'local' } },
        secrets: { s: { file: '/s' }, t: { file: '/t' } },
        configs: { c: { file: '/c2' } },
        models: { m: { model: 'ai/x', context_size: 10 } },
        'x-meta': { a: 1, b: 2 },
      });
    });

    it('network ipam configs are unique by subnet, the same subnet merging', () => {
      const m = mergeDocuments(
        { networks: { n: { ipam: { driver: 'default', config: [{ subnet: '10.0.0.0/24', gateway: '10.0.0.1' }, { subnet: '10.1.0.0/24' }] } } } },
        { networks: { n: { ipam: { config: [{ subnet: '10.0.0.0/24', ip_range: '10.0.0.0/25' }, { subnet: '10.2.0.0/24' }] } } } },
      );
      assert.deepEqual((m.networks as Mapping).n, {
        ipam: { driver: 'default', config: [{ subnet: '10.0.0.0/24', gateway: '10.0.0.1', ip_range: '10.0.0.0/25' }, { subnet: '10.1.0.0/24' }, { subnet: '10.2.0.0/24' }] },
      });
    });
  });

  describe('merge tags', () => {
    it('!reset on an attribute takes it out of the result', () => {
      const m = merged({ image: 'a', ports: [port(80, '80')], command: ['x'] }, tag({ ports: [] }, 'ports', 'reset'));
      assert.deepEqual(m, { image: 'a', command: ['x'] });
    });

    it('!reset on one entry of a mapping takes only that entry out', () => {
      const m = merged({ environment: { FOO: 'bar', KEEP: '1' } }, { environment: tag({ FOO: null }, 'FOO', 'reset') });
      assert.deepEqual(m, { environment: { KEEP: '1' } });
    });

    it('!reset of something the earlier files do not have is simply absent', () => {
      assert.deepEqual(merged({ image: 'a' }, tag({ ports: [] }, 'ports', 'reset')), { image: 'a' });
    });

    it('!reset on a whole service removes it', () => {
      const m = mergeDocuments({ services: { web: { image: 'a' }, db: { image: 'd' } } }, { services: tag({ db: null }, 'db', 'reset') });
      assert.deepEqual(m, { services: { web: { image: 'a' } } });
    });

    it('!override replaces a sequence, a mapping and a set without merging', () => {
      const m = merged(
        { ports: [port(8080, '8080')], labels: { x: '1' }, cap_add: ['A'], build: { context: '/a', args: { A: '1' } } },
        tag(tag(tag(tag({ ports: [port(443, '8443')], labels: { y: '2' }, cap_add: ['B'], build: { context: '/b' } }, 'ports', 'override'), 'labels', 'override'), 'cap_add', 'override'), 'build', 'override'),
      );
      assert.deepEqual(m, { ports: [port(443, '8443')], labels: { y: '2' }, cap_add: ['B'], build: { context: '/b' } });
    });

    it('tags inside a service only the later file defines are settled too', () => {
      const inner = tag({ image: 'n', ports: [port(1, '1')], labels: { a: '1' } }, 'ports', 'reset');
      tag(inner, 'labels', 'override');
      const m = mergeDocuments({ services: { web: { image: 'a' } } }, { services: { neu: inner } });
      assert.deepEqual(svc(m, 'neu'), { image: 'n', labels: { a: '1' } });
      assert.equal(tagOf(svc(m, 'neu'), 'labels'), undefined);
    });

    it('the result carries no tags', () => {
      const m = merged({ labels: { a: '1' } }, tag({ labels: { b: '2' } }, 'labels', 'override'));
      assert.equal(tagOf(m, 'labels'), undefined);
    });

    it('an item tagged !reset in a later sequence is left out', () => {
      assert.deepEqual(merged({ dns: ['1.1.1.1'] }, { dns: tag(['8.8.8.8', '9.9.9.9'], 1, 'reset') }).dns, ['1.1.1.1', '8.8.8.8']);
    });

    it('!reset and !override written in the earlier file act on that file only', () => {
      const base = tag(tag({ image: 'a', ports: [port(1, '1')], labels: { a: '1' } }, 'ports', 'reset'), 'labels', 'override');
      assert.deepEqual(merged(base, { labels: { b: '2' } }), { image: 'a', labels: { a: '1', b: '2' } });
    });
  });

  describe('inputs and positions', () => {
    it('leaves both inputs as they were and shares no objects with them', () => {
      const a = { services: { web: { image: 'a', environment: { A: '1' }, ports: [port(80, '80')], build: { context: '/a', args: { X: '1' } } } } };
      const b = tag({ services: { web: { environment: { B: '2' }, ports: [port(81, '81')] } } }, 'services', 'override');
      const before = JSON.stringify([a, b]);
      const m = merged(a.services.web, b.services.web);
      assert.equal(JSON.stringify([a, b]), before);
      assert.equal(tagOf(b, 'services'), 'override');
      (m.environment as Mapping).A = 'changed';
      ((m.build as Mapping).args as Mapping).X = 'changed';
      (m.ports as Node[]).push('x');
      assert.equal(JSON.stringify([a, b]), before);
      // The merge is repeatable from the same inputs.
      assert.deepEqual(merged(a.services.web, b.services.web).environment, { A: '1', B: '2' });
    });

    it('each value keeps the position of the file that supplied it', () => {
      const base = written('base.yaml', { image: 'a', user: 'root', environment: written('base.yaml', { A: '1', B: '1' }) });
      setKeyPosition(base, 'user', at('base.yaml', 2, 3));
      const over = written('over.yaml', { image: 'b', environment: written('over.yaml', { B: '2' }), command: ['x'] });
      setKeyPosition(over, 'image', at('over.yaml', 1, 3));
      const m = merged(base, over);
      assert.deepEqual(childPosition(m, 'image'), at('over.yaml', 1));
      assert.deepEqual(keyPosition(m, 'image'), at('over.yaml', 1, 3));
      assert.deepEqual(childPosition(m, 'user'), at('base.yaml', 2));
      assert.deepEqual(keyPosition(m, 'user'), at('base.yaml', 2, 3));
      assert.deepEqual(childPosition(m, 'command'), at('over.yaml', 3));
      assert.deepEqual(childPosition(m.environment as Mapping, 'A'), at('base.yaml', 1));
      assert.deepEqual(childPosition(m.environment as Mapping, 'B'), at('over.yaml', 1));
    });

    it('sequence items keep their positions, a replaced item taking the later one', () => {
      const base = { ports: written('base.yaml', [port(80, '80'), port(443, '443')]), dns: written('base.yaml', ['1.1.1.1']), volumes_from: written('base.yaml', ['a']) };
      const over = { ports: written('over.yaml', [port(80, '80', { mode: 'host' }), port(81, '81')]), dns: written('over.yaml', ['8.8.8.8']), volumes_from: written('over.yaml', ['b']) };
      const m = merged(base, over);
      const ports = m.ports as Node[];
      assert.deepEqual([0, 1, 2].map((i) => childPosition(ports, i)), [at('over.yaml', 1), at('base.yaml', 2), at('over.yaml', 2)]);
      assert.deepEqual([0, 1].map((i) => childPosition(m.dns as Node[], i)), [at('base.yaml', 1), at('over.yaml', 1)]);
      assert.deepEqual([0, 1].map((i) => childPosition(m.volumes_from as Node[], i)), [at('base.yaml', 1), at('over.yaml', 1)]);
    });
  });
});

describe('settleTags', () => {
  it('removes !reset keys, keeps !override values and forgets the tags', () => {
    const doc = web(tag(tag({ image: 'a', ports: [port(1, '1')], labels: { a: '1' }, environment: tag({ A: '1', B: null }, 'B', 'reset') }, 'ports', 'reset'), 'labels', 'override'));
    const same = settleTags(doc);
    assert.equal(same, doc);
    assert.deepEqual(svc(doc), { image: 'a', labels: { a: '1' }, environment: { A: '1' } });
    assert.equal(tagOf(svc(doc), 'labels'), undefined);
  });

  it('drops !reset items of a sequence, keeping the positions of the others', () => {
    const dns = tag(written('a.yaml', ['1.1.1.1', '2.2.2.2', '3.3.3.3']), 1, 'reset');
    const doc = web({ dns });
    settleTags(doc);
    assert.deepEqual(svc(doc).dns, ['1.1.1.1', '3.3.3.3']);
    assert.deepEqual(childPosition(svc(doc).dns as Node[], 1), at('a.yaml', 3));
  });

  it('drops repeats from unique sequences of one file, the later item in the earlier place', () => {
    const doc = web({
      ports: written('a.yaml', [port(80, '80'), port(81, '81'), port(80, '80', { mode: 'host' })]),
      cap_add: ['A', 'B', 'A'],
      volumes: [{ type: 'volume', source: 'x', target: '/d' }, { type: 'volume', source: 'y', target: '/d' }],
      group_add: ['g', 'g'],
    });
    settleTags(doc);
    assert.deepEqual(svc(doc).ports, [port(80, '80', { mode: 'host' }), port(81, '81')]);
    assert.deepEqual(childPosition(svc(doc).ports as Node[], 0), at('a.yaml', 3));
    assert.deepEqual(svc(doc).cap_add, ['A', 'B']);
    assert.deepEqual(svc(doc).volumes, [{ type: 'volume', source: 'y', target: '/d' }]);
    assert.deepEqual(svc(doc).group_add, ['g', 'g']);
  });

  it('a file read without tags settles the same by the short walk as by the full one', () => {
    const text = [
      'services:',
      '  web:',
      '    image: a',
      '    cap_add: [A, B, A]',
      '    group_add: [g, g]',
      '    dns: [1.1.1.1, 1.1.1.1]',
      '    volumes: [{type: volume, source: x, target: /d}, {type: volume, source: y, target: /d}]',
      '    ports: [{target: 80, published: "80"}, {target: 81}, {target: 80, published: "80", mode: host}]',
      '    deploy: {placement: {constraints: [a, a]}}',
      '',
    ].join('\n');
    const short = parseComposeYaml(text, 'a.yaml');
    assert.equal(stillUntagged(short), true);
    const full = parseComposeYaml(text, 'b.yaml');
    setTag(svc(full), 'unrelated', 'reset'); // a tag anywhere sends every earlier tree down the full walk
    assert.equal(stillUntagged(full), false);
    assert.equal(stillUntagged(short), false);
    const shortAgain = parseComposeYaml(text, 'c.yaml');
    assert.equal(stillUntagged(shortAgain), true);
    assert.deepEqual(settleTags(shortAgain), settleTags(full));
    assert.deepEqual(svc(shortAgain).cap_add, ['A', 'B']);
    assert.deepEqual(svc(shortAgain).volumes, [{ type: 'volume', source: 'y', target: '/d' }]);
  });
});

describe('extendService', () => {
  it('lays the service over its base by the merge rules', () => {
    const m = extendService({ image: 'a', cap_add: ['A'], environment: { X: '1' }, command: ['base'] }, { cap_add: ['A', 'B'], environment: { Y: '2' }, command: ['local'] });
    assert.deepEqual(m, { image: 'a', cap_add: ['A', 'B'], environment: { X: '1', Y: '2' }, command: ['local'] });
  });

  it('applies the local tags to the base and keeps them for the next file merge', () => {
    const local = tag(tag({ ports: [], labels: { b: '2' } }, 'ports', 'reset'), 'labels', 'override');
    const m = extendService({ image: 'a', ports: [port(80, '80')], labels: { a: '1' } }, local);
    assert.deepEqual(m, { image: 'a', ports: [], labels: { b: '2' } });
    assert.equal(tagOf(m, 'ports'), 'reset');
    assert.equal(tagOf(m, 'labels'), 'override');
    // An earlier file's ports and labels give way to them when the files merge.
    const files = mergeDocuments(web({ ports: [port(1, '1')], labels: { z: '0' } }), web(m));
    assert.deepEqual(svc(files), { labels: { b: '2' }, image: 'a' });
  });

  it('a base\'s own tags are settled before it is extended', () => {
    const base = tag({ image: 'a', ports: [port(80, '80')] }, 'ports', 'reset');
    assert.deepEqual(extendService(base, { user: 'me' }), { image: 'a', user: 'me' });
  });
});
