import assert from 'node:assert/strict';
import { GantryError, GantryErrors } from '../../src/common/errors.js';
import { bindProject, type BindInput } from '../../src/spec/bind.js';
import { clone, setChildPosition, type Mapping } from '../../src/spec/tree.js';

const S = 1e9;
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

/** A merged, normalized document in canonical long forms, with every typed attribute written as text. */
function canonicalDoc(): Mapping {
  return {
    name: 'shop',
    services: {
      web: {
        image: 'nginx:1.25',
        command: ['nginx', '-g', 'daemon off;'],
        environment: { MODE: 'prod', EMPTY: null },
        ports: [{ target: 80, published: '8080', protocol: 'tcp', mode: 'ingress' }],
        healthcheck: { test: ['CMD', 'true'], interval: '1m30s', timeout: '5s', start_period: '500ms', start_interval: '2.5s', retries: 3 },
        stop_grace_period: '1m',
        mem_limit: '512m',
        mem_reservation: 256 * MiB,
        memswap_limit: -1,
        mem_swappiness: '60',
        shm_size: '64m',
        cpus: '0.5',
        build: { context: '/src/web', shm_size: '2g', secrets: [{ source: 'token', mode: '0400' }] },
        volumes: [
          { type: 'tmpfs', target: '/run', tmpfs: { size: '10m', mode: '1777' } },
          { type: 'bind', source: '/srv', target: '/srv', bind: { create_host_path: true } },
        ],
        blkio_config: {
          weight: '300',
          weight_device: [{ path: '/dev/sda', weight: 400 }],
          device_read_bps: [{ path: '/dev/sda', rate: '1mb' }],
          device_write_bps: [{ path: '/dev/sda', rate: 1048576 }],
          device_read_iops: [{ path: '/dev/sda', rate: '1000' }],
          device_write_iops: [{ path: '/dev/sda', rate: 500 }],
        },
        deploy: {
          replicas: 2,
          resources: { limits: { cpus: '1.5', memory: '1g' }, reservations: { cpus: 0.25, memory: '512m' } },
          restart_policy: { condition: 'on-failure', delay: '5s', window: '2m' },
          update_config: { delay: '10s', monitor: '1m' },
          rollback_config: { delay: '0s', monitor: '30s' },
        },
        secrets: [{ source: 'token', target: '/run/secrets/token', mode: '0440' }],
        configs: [{ source: 'app', mode: 292 }],
        depends_on: { db: { condition: 'service_healthy', required: true } },
        networks: { front: null },
        'x-team': 'shop',
      },
      db: { image: 'postgres:16', environment: {} },
    },
    networks: { front: { name: 'shop_front' }, outside: { external: true } },
    volumes: { data: { name: 'shop_data', driver: 'local' }, legacy: null },
    secrets: { token: { name: 'shop_token', file: '/run/token' } },
    configs: { app: { name: 'shop_app', content: 'hello' } },
    models: { llm: { model: 'ai/smollm2' } },
    'x-common': { anchors: [1, 2] },
  };
}

function input(doc: Mapping, disabled: Mapping = {}): BindInput {
  return {
    doc,
    disabled,
    name: 'shop',
    workingDir: '/src',
    configFiles: ['/src/compose.yaml'],
    environment: { HOME: '/root' },
    profiles: ['debug'],
  };
}

function catchError(fn: () => unknown): GantryError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GantryError) return e;
    throw e;
  }
  assert.fail('no error thrown');
}

describe('bindProject', () => {
  it('names every service and carries the project facts', () => {
    const p = bindProject(input(canonicalDoc()));
    assert.equal(p.name, 'shop');
    assert.equal(p.workingDir, '/src');
    assert.deepEqual(p.configFiles, ['/src/compose.yaml']);
    assert.deepEqual(p.environment, { HOME: '/root' });
    assert.deepEqual(p.profiles, ['debug']);
    assert.deepEqual(Object.keys(p.services), ['web', 'db']);
    assert.equal(p.services.web!.name, 'web');
    assert.equal(p.services.db!.name, 'db');
    assert.deepEqual(p.services.db!.environment, {});
    assert.equal(p.services.web!['x-team'], 'shop');
    assert.deepEqual(p.services.web!.depends_on, { db: { condition: 'service_healthy', required: true } });
  });

  it('turns every duration into nanoseconds', () => {
    const web = bindProject(input(canonicalDoc())).services.web!;
    assert.deepEqual(web.healthcheck, {
      test: ['CMD', 'true'],
      interval: 90 * S,
      timeout: 5 * S,
      start_period: 0.5 * S,
      start_interval: 2.5 * S,
      retries: 3,
    });
    assert.equal(web.stop_grace_period, 60 * S);
    const deploy = web.deploy as Record<string, Record<string, unknown>>;
    assert.deepEqual(deploy.restart_policy, { condition: 'on-failure', delay: 5 * S, window: 120 * S });
    assert.deepEqual(deploy.update_config, { delay: 10 * S, monitor: 60 * S });
    assert.deepEqual(deploy.rollback_config, { delay: 0, monitor: 30 * S });
  });

  it('turns sizes into bytes, CPU counts and modes into numbers', () => {
    const web = bindProject(input(canonicalDoc())).services.web!;
    assert.equal(web.mem_limit, 512 * MiB);
    assert.equal(web.mem_reservation, 256 * MiB);
    assert.equal(web.memswap_limit, -1);
    assert.equal(web.mem_swappiness, 60);
    assert.equal(web.shm_size, 64 * MiB);
    assert.equal(web.cpus, 0.5);
    assert.equal(web.build!.shm_size, 2 * GiB);
    assert.deepEqual(web.build!.secrets, [{ source: 'token', mode: 0o400 }]);
    assert.deepEqual(web.volumes![0]!.tmpfs, { size: 10 * MiB, mode: 0o1777 });
    assert.deepEqual(web.volumes![1], { type: 'bind', source: '/srv', target: '/srv', bind: { create_host_path: true } });
    assert.deepEqual(web.blkio_config, {
      weight: 300,
      weight_device: [{ path: '/dev/sda', weight: 400 }],
      device_read_bps: [{ path: '/dev/sda', rate: MiB }],
      device_write_bps: [{ path: '/dev/sda', rate: MiB }],
      device_read_iops: [{ path: '/dev/sda', rate: 1000 }],
      device_write_iops: [{ path: '/dev/sda', rate: 500 }],
    });
    assert.deepEqual((web.deploy as Record<string, unknown>).resources, {
      limits: { cpus: 1.5, memory: GiB },
      reservations: { cpus: 0.25, memory: 512 * MiB },
    });
    assert.equal((web.deploy as Record<string, unknown>).replicas, 2);
    assert.deepEqual(web.secrets, [{ source: 'token', target: '/run/secrets/token', mode: 0o440 }]);
    assert.deepEqual(web.configs, [{ source: 'app', mode: 292 }]);
  });

  it('leaves the tree it was given untouched', () => {
    const doc = canonicalDoc();
    const before = clone(doc);
    bindProject(input(doc));
    assert.deepEqual(doc, before);
  });

  it('keeps top-level resources with their names, models and x- extensions', () => {
    const p = bindProject(input(canonicalDoc()));
    assert.deepEqual(p.networks, { front: { name: 'shop_front' }, outside: { external: true, name: 'outside' } });
    assert.deepEqual(p.volumes, { data: { name: 'shop_data', driver: 'local' }, legacy: { name: 'shop_legacy' } });
    assert.deepEqual(p.secrets, { token: { name: 'shop_token', file: '/run/token' } });
    assert.deepEqual(p.configs, { app: { name: 'shop_app', content: 'hello' } });
    assert.deepEqual(p.models, { llm: { model: 'ai/smollm2' } });
    assert.deepEqual(p.extensions, { 'x-common': { anchors: [1, 2] } });
  });

  it('leaves optional sections empty, not missing', () => {
    const p = bindProject(input({ services: { a: { image: 'busybox' } } }));
    assert.deepEqual(p.networks, {});
    assert.deepEqual(p.volumes, {});
    assert.deepEqual(p.secrets, {});
    assert.deepEqual(p.configs, {});
    assert.deepEqual(p.extensions, {});
    assert.deepEqual(p.disabledServices, {});
    assert.equal(p.models, undefined);
  });

  it('binds disabled services the same way', () => {
    const p = bindProject(input(canonicalDoc(), { debug: { image: 'busybox', stop_grace_period: '3s', profiles: ['debug'] } }));
    assert.deepEqual(p.disabledServices, {
      debug: { name: 'debug', image: 'busybox', stop_grace_period: 3 * S, profiles: ['debug'], environment: {} },
    });
    assert.equal(p.services.debug, undefined);
  });

  it('reports a malformed value with its path, position and examples of valid values', () => {
    const doc = canonicalDoc();
    const healthcheck = ((doc.services as Mapping).web as Mapping).healthcheck as Mapping;
    healthcheck.interval = '90';
    setChildPosition(healthcheck, 'interval', { file: '/src/compose.yaml', line: 9, col: 19 });
    const e = catchError(() => bindProject(input(doc)));
    assert.ok(!(e instanceof GantryErrors));
    assert.equal(e.kind, 'value');
    assert.equal(e.path, 'services.web.healthcheck.interval');
    assert.deepEqual(e.position, { file: '/src/compose.yaml', line: 9, col: 19 });
    assert.match(e.message, /invalid duration "90": a unit is missing/);
    assert.match(e.hint ?? '', /"1m30s"/);
  });

  it('collects every malformed value, in enabled and disabled services', () => {
    const doc = canonicalDoc();
    const web = (doc.services as Mapping).web as Mapping;
    web.mem_limit = '12 parsecs';
    web.memswap_limit = -2;
    web.stop_grace_period = '-5s';
    web.cpus = 'many';
    (web.secrets as Mapping[])[0]!.mode = '0999';
    ((web.deploy as Mapping).resources as Mapping).limits = { memory: 1.5 };
    ((web.volumes as Mapping[])[0]!.tmpfs as Mapping).size = 'big';
    const disabled: Mapping = { debug: { image: 'busybox', healthcheck: { timeout: 'soon' } } };
    const debug = disabled.debug as Mapping;
    setChildPosition(debug.healthcheck as object, 'timeout', { file: '/src/debug.yaml', line: 4, col: 16 });

    const e = catchError(() => bindProject(input(doc, disabled)));
    assert.ok(e instanceof GantryErrors);
    const found = e.errors.map((x) => [x.path, x.kind]);
    assert.deepEqual(found, [
      ['services.web.cpus', 'value'],
      ['services.web.deploy.resources.limits.memory', 'value'],
      ['services.web.mem_limit', 'value'],
      ['services.web.memswap_limit', 'value'],
      ['services.web.secrets[0].mode', 'value'],
      ['services.web.stop_grace_period', 'value'],
      ['services.web.volumes[0].tmpfs.size', 'value'],
      ['services.debug.healthcheck.timeout', 'value'],
    ]);
    const byPath = new Map(e.errors.map((x) => [x.path, x]));
    assert.match(byPath.get('services.web.memswap_limit')!.message, /only negative size allowed is -1/);
    assert.match(byPath.get('services.web.memswap_limit')!.hint ?? '', /-1 for unlimited/);
    assert.match(byPath.get('services.web.stop_grace_period')!.message, /cannot be negative/);
    assert.match(byPath.get('services.web.deploy.resources.limits.memory')!.message, /whole number/);
    assert.match(byPath.get('services.web.secrets[0].mode')!.message, /octal/);
    assert.match(byPath.get('services.web.mem_limit')!.hint ?? '', /512m/);
    assert.deepEqual(byPath.get('services.debug.healthcheck.timeout')!.position, { file: '/src/debug.yaml', line: 4, col: 16 });
    for (const x of e.errors) assert.ok(x.hint, `${x.path} has no hint`);
  });

  it('rejects values of the wrong kind and out of range', () => {
    const cases: [Mapping, string, RegExp][] = [
      [{ healthcheck: { interval: 10 } }, 'services.s.healthcheck.interval', /unit is missing/],
      [{ healthcheck: { interval: ['1s'] } }, 'services.s.healthcheck.interval', /found a sequence/],
      [{ mem_limit: -1 }, 'services.s.mem_limit', /cannot be negative/],
      [{ mem_swappiness: 101 }, 'services.s.mem_swappiness', /between -1 and 100/],
      [{ cpus: -1 }, 'services.s.cpus', /cannot be negative/],
      [{ blkio_config: { device_read_iops: [{ path: '/dev/sda', rate: '1k' }] } }, 'services.s.blkio_config.device_read_iops[0].rate', /not a whole number/],
      [{ configs: [{ source: 'c', mode: 0o10000 }] }, 'services.s.configs[0].mode', /between 0 and 07777/],
    ];
    for (const [service, path, message] of cases) {
      const e = catchError(() => bindProject(input({ services: { s: { image: 'x', ...service } } })));
      assert.equal(e.path, path);
      assert.match(e.message, message);
    }
  });

  it('accepts zero durations written as the number 0', () => {
    const p = bindProject(input({ services: { s: { image: 'x', healthcheck: { start_period: 0 } } } }));
    assert.equal(p.services.s!.healthcheck!.start_period, 0);
  });
});
