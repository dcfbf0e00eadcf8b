import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'mocha';
import { GantryError } from '../../src/common/errors.js';
import type { Warning } from '../../src/spec/context.js';
import { canonicalize } from '../../src/spec/canonical.js';
import { normalize, type NormalizeContext } from '../../src/spec/normalize.js';
import type { Mapping } from '../../src/spec/tree.js';
import { contextFor, FILE, plain, treeOf } from './canonical/yaml-tree.js';

// Tests run from the repository root (compiled or not), as the other loader tests do.
const FIXTURES = resolve('test/fixtures/canonical/env');

function ctxFor(env: Record<string, string> = {}): NormalizeContext & { warnings: Warning[] } {
  const warnings: Warning[] = [];
  return { projectName: 'demo', projectDir: '/project', lookup: (k) => env[k], warn: (w) => warnings.push(w), warnings };
}

/** YAML → canonical document (as the loader hands it over), then normalize. */
async function normalized(text: string, env: Record<string, string> = {}, baseDir = '/project'): Promise<any> {
  const doc = canonicalize(treeOf(text), contextFor({ baseDir }));
  await normalize(doc, ctxFor(env));
  return plain(doc);
}

async function normalizeError(text: string, env: Record<string, string> = {}, baseDir = FIXTURES): Promise<GantryError> {
  const doc: Mapping = canonicalize(treeOf(text), contextFor({ baseDir }));
  try {
    await normalize(doc, ctxFor(env));
  } catch (e) {
    assert.ok(e instanceof GantryError, String(e));
    return e;
  }
  assert.fail('normalize accepted it');
}

describe('normalize: networks', () => {
  it('a service without networks joins default, which is declared for it', async () => {
    const d = await normalized('services:\n  web:\n    image: nginx\n');
    assert.deepEqual(d, {
      services: { web: { image: 'nginx', networks: { default: null } } },
      networks: { default: { name: 'demo_default' } },
    });
  });

  it('an empty networks mapping also means default', async () => {
    const d = await normalized('services:\n  web:\n    networks: {}\n');
    assert.deepEqual(d.services.web.networks, { default: null });
  });

  it('no default network when no service uses it; network_mode and provider services stay out', async () => {
    const d = await normalized(
      'services:\n  a:\n    networks: [front]\n  b:\n    network_mode: host\n  c:\n    provider: {type: model}\nnetworks:\n  front:\n',
    );
    assert.deepEqual(d.services, {
      a: { networks: { front: null } },
      b: { network_mode: 'host' },
      c: { provider: { type: 'model' } },
    });
    assert.deepEqual(d.networks, { front: { name: 'demo_front' } });
  });

  it('a declared default network keeps its settings and gets a name', async () => {
    const d = await normalized('services:\n  web:\n    image: x\nnetworks:\n  default:\n    driver: bridge\n');
    assert.deepEqual(d.networks, { default: { driver: 'bridge', name: 'demo_default' } });
  });
});

describe('normalize: resource names', () => {
  it('declared name, external key, or <project>_<key>', async () => {
    const d = await normalized(
      'services: {}\nnetworks:\n  own:\n    name: custom\n  ext:\n    external: true\nvolumes:\n  data:\n  shared:\n    external: true\n    name: team-shared\n' +
        'secrets:\n  pw:\n    file: ./pw\n  outside:\n    external: true\nconfigs:\n  conf:\n    file: ./c\n',
    );
    assert.deepEqual(d.networks, { own: { name: 'custom' }, ext: { external: true, name: 'ext' } });
    assert.deepEqual(d.volumes, { data: { name: 'demo_data' }, shared: { external: true, name: 'team-shared' } });
    assert.deepEqual(d.secrets, { pw: { file: '/project/pw', name: 'demo_pw' }, outside: { external: true, name: 'outside' } });
    assert.deepEqual(d.configs, { conf: { file: '/project/c', name: 'demo_conf' } });
  });

  it('a config from an environment variable gets its content', async () => {
    const d = await normalized('services: {}\nconfigs:\n  c:\n    environment: CONF\n  unset:\n    environment: NOPE\n', { CONF: 'a=1' });
    assert.deepEqual(d.configs, {
      c: { environment: 'CONF', content: 'a=1', name: 'demo_c' },
      unset: { environment: 'NOPE', name: 'demo_unset' },
    });
  });
});

describe('normalize: environment', () => {
  it('a value-less entry is looked up, else stays null', async () => {
    const d = await normalized('services:\n  web:\n    network_mode: none\n    environment: [SET, UNSET, FIXED=1]\n', { SET: 'from-shell' });
    assert.deepEqual(d.services.web.environment, { SET: 'from-shell', UNSET: null, FIXED: '1' });
  });

  it('env files are read in order, a later file wins, environment wins over both', async () => {
    const d = await normalized(
      'services:\n  web:\n    network_mode: none\n    env_file: [web.env, later.env]\n    environment:\n      SHARED: from-environment\n      OWN: mine\n',
      { PROJECT_VAR: 'proj' },
      FIXTURES,
    );
    assert.deepEqual(d.services.web.environment, {
      FROM_FILE: 'file',
      SHARED: 'from-environment',
      REF: 'proj-mine',
      LATE: '1',
      OWN: 'mine',
    });
    assert.deepEqual(d.services.web.env_file, [
      { path: join(FIXTURES, 'web.env'), required: true },
      { path: join(FIXTURES, 'later.env'), required: true },
    ]);
  });

  it('a raw env file is taken as written', async () => {
    const d = await normalized('services:\n  web:\n    network_mode: none\n    env_file:\n      - path: raw.env\n        format: raw\n', { INHERIT: 'shell' }, FIXTURES);
    assert.deepEqual(d.services.web.environment, { QUOTED: '"kept as is"', SPACED: 'a b ', INHERIT: 'shell' });
  });

  it('a missing optional env file is skipped', async () => {
    const d = await normalized('services:\n  web:\n    network_mode: none\n    env_file:\n      - path: nope.env\n        required: false\n', {}, FIXTURES);
    assert.equal(d.services.web.environment, undefined);
  });

  it('a missing required env file names the service, the path and where it is written', async () => {
    const e = await normalizeError('services:\n  web:\n    image: x\n    env_file:\n      - {path: raw.env, format: raw}\n      - missing.env\n');
    assert.equal(e.kind, 'file');
    assert.equal(e.path, 'services.web.env_file[1]');
    assert.deepEqual(e.position, { file: FILE, line: 6, col: 9 });
    assert.match(e.message, /service "web": env file .*missing\.env not found/);
    assert.match(e.hint ?? '', /required: false/);
  });

  it('an unknown env file format is an error at `format`', async () => {
    const e = await normalizeError('services:\n  web:\n    env_file:\n      - path: web.env\n        format: toml\n');
    assert.equal(e.kind, 'value');
    assert.equal(e.path, 'services.web.env_file[0].format');
    assert.equal(e.position?.line, 5);
  });

  it('the first failing service in order is reported', async () => {
    const e = await normalizeError('services:\n  a:\n    env_file: a-missing.env\n  b:\n    env_file: b-missing.env\n');
    assert.equal(e.path, 'services.a.env_file[0]');
  });

  it('label files are read, labels win', async () => {
    const d = await normalized('services:\n  web:\n    network_mode: none\n    label_file: labels\n    labels: {com.example.tier: top}\n', {}, FIXTURES);
    assert.deepEqual(d.services.web.labels, { 'com.example.team': 'core', 'com.example.tier': 'top' });
  });

  it('build args without a value are looked up or dropped', async () => {
    const d = await normalized('services:\n  web:\n    network_mode: none\n    build:\n      context: .\n      args: [SET, UNSET, FIXED=1]\n', { SET: 'v' });
    assert.deepEqual(d.services.web.build.args, { SET: 'v', FIXED: '1' });
  });
});

describe('normalize: scale and deploy.replicas', () => {
  it('replicas alone sets scale and stays', async () => {
    const d = await normalized('services:\n  web:\n    network_mode: none\n    deploy:\n      replicas: 3\n');
    assert.deepEqual(d.services.web, { network_mode: 'none', deploy: { replicas: 3 }, scale: 3 });
  });

  it('scale alone stays alone', async () => {
    const d = await normalized('services:\n  web:\n    network_mode: none\n    scale: 2\n    deploy:\n      resources: {}\n');
    assert.deepEqual(d.services.web, { network_mode: 'none', scale: 2, deploy: { resources: {} } });
  });

  it('equal values are fine', async () => {
    const d = await normalized('services:\n  web:\n    network_mode: none\n    scale: 2\n    deploy: {replicas: "2"}\n');
    assert.deepEqual(d.services.web, { network_mode: 'none', scale: 2, deploy: { replicas: 2 } });
  });

  it('different values name both', async () => {
    const e = await normalizeError('services:\n  web:\n    scale: 2\n    deploy:\n      replicas: 3\n');
    assert.equal(e.kind, 'value');
    assert.equal(e.path, 'services.web.scale');
    assert.deepEqual(e.position, { file: FILE, line: 3, col: 12 });
    assert.match(e.message, /scale: 2 and deploy\.replicas: 3/);
  });

  it('a negative count is an error', async () => {
    const e = await normalizeError('services:\n  web:\n    deploy:\n      replicas: -1\n');
    assert.equal(e.path, 'services.web.deploy.replicas');
  });
});

describe('normalize: build and other service defaults', () => {
  it('build without context builds the project directory from its Dockerfile', async () => {
    const d = await normalized('services:\n  web:\n    network_mode: none\n    build:\n      target: dev\n');
    assert.deepEqual(d.services.web.build, { target: 'dev', context: '/project', dockerfile: 'Dockerfile' });
  });

  it('an inline Dockerfile gets no dockerfile', async () => {
    const d = await normalized('services:\n  web:\n    network_mode: none\n    build:\n      dockerfile_inline: FROM scratch\n');
    assert.deepEqual(d.services.web.build, { dockerfile_inline: 'FROM scratch', context: '/project' });
  });

  it('links, service: namespaces and volumes_from imply dependencies', async () => {
    const d = await normalized(
      'services:\n  web:\n    links: [db, "cache:redis"]\n    ipc: service:shm\n    volumes_from: [data, "container:raw", "logs:ro"]\n    depends_on: [db]\n',
    );
    assert.deepEqual(d.services.web.depends_on, {
      db: { condition: 'service_started', required: true },
      cache: { condition: 'service_started', restart: true, required: true },
      shm: { condition: 'service_started', restart: true, required: true },
      data: { condition: 'service_started', required: true },
      logs: { condition: 'service_started', required: true },
    });
  });

  it('network_mode: service:x implies a dependency and no default network', async () => {
    const d = await normalized('services:\n  web:\n    network_mode: service:vpn\n  vpn:\n    image: v\n');
    assert.deepEqual(d.services.web, {
      network_mode: 'service:vpn',
      depends_on: { vpn: { condition: 'service_started', restart: true, required: true } },
    });
  });

  it('secrets get a default target; device requests default to all', async () => {
    const d = await normalized(
      'services:\n  web:\n    network_mode: none\n    secrets: [pw, {source: key, target: /k}]\n    gpus: [{driver: nvidia}]\n' +
        '    deploy:\n      resources:\n        reservations:\n          devices: [{capabilities: [gpu]}, {device_ids: ["0"]}]\n',
    );
    assert.deepEqual(d.services.web.secrets, [{ source: 'pw', target: '/run/secrets/pw' }, { source: 'key', target: '/k' }]);
    assert.deepEqual(d.services.web.gpus, [{ driver: 'nvidia', count: 'all' }]);
    assert.deepEqual(d.services.web.deploy.resources.reservations.devices, [{ capabilities: ['gpu'], count: 'all' }, { device_ids: ['0'] }]);
  });

  it('extra hosts are sorted as text, without repeats', async () => {
    const d = await normalized(
      'services:\n  web:\n    network_mode: none\n    extra_hosts: [zed=10.0.0.9, alpha=10.0.0.1, zed=10.0.0.9]\n    build:\n      context: .\n      extra_hosts: {b: 1.1.1.1, a: 2.2.2.2}\n',
    );
    assert.deepEqual(d.services.web.extra_hosts, ['alpha=10.0.0.1', 'zed=10.0.0.9']);
    assert.deepEqual(d.services.web.build.extra_hosts, ['a=2.2.2.2', 'b=1.1.1.1']);
  });

  it('pull_policy if_not_present is missing; pre_start hooks inherit the image', async () => {
    const d = await normalized('services:\n  web:\n    network_mode: none\n    image: app:1\n    pull_policy: if_not_present\n    pre_start:\n      - command: [migrate]\n');
    assert.equal(d.services.web.pull_policy, 'missing');
    assert.deepEqual(d.services.web.pre_start, [{ command: ['migrate'], image: 'app:1' }]);
  });
});

describe('normalize: a fixed point', () => {
  it('normalizing a normalized project again changes nothing', async () => {
    const text = readFileSync(resolve('test/fixtures/canonical/rich.yaml'), 'utf8').replace(/ *env_file: .*\n/, '');
    const once = await normalized(text, { B: 'b' });
    const again = JSON.parse(JSON.stringify(once));
    await normalize(again, ctxFor({ B: 'b' }));
    assert.deepEqual(again, once);
    assert.deepEqual(Object.keys(once.networks), ['front', 'back']);
    assert.deepEqual(once.networks.back, { external: true, name: 'corp' });
    assert.deepEqual(once.services.web.environment, { A: '1', B: 'b' });
  });
});
