import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import YAML from 'yaml';
import { bindProject, type BindInput } from '../../src/spec/bind.js';
import { projectToDocument, serviceToDocument } from '../../src/spec/render.js';
import type { Mapping } from '../../src/spec/tree.js';
import type { Project } from '../../src/spec/types.js';
import { toYaml } from '../../src/spec/yaml-emit.js';

const S = 1e9;
const MiB = 1024 ** 2;

/** The repository root, whether this runs from test/ (tsx) or dist/test/ (compiled). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the test');
    dir = up;
  }
  return dir;
}

/**
 * The schemas the output must satisfy: the official one (kept beside the
 * project for comparison, absent in a plain checkout) and the project's own.
 */
function schemaValidators(): { file: string; validate: (doc: unknown) => string[] }[] {
  const root = repoRoot();
  const files = [join(root, '..', 'shared', 'spec', 'compose-spec.json'), join(root, 'schemas', 'compose-spec.json')];
  return files.filter(existsSync).map((file) => {
    // The official schema names draft-07 by an address ajv does not know; the schema itself is fine.
    const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
    const check = ajv.compile(JSON.parse(readFileSync(file, 'utf8')));
    return {
      file,
      validate: (doc) => (check(doc) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)),
    };
  });
}

function canonicalDoc(): Mapping {
  return {
    name: 'shop',
    services: {
      web: {
        image: 'nginx:1.25',
        command: ['nginx', '-g', 'daemon off;'],
        entrypoint: null,
        environment: { MODE: 'prod', EMPTY: null, DEBUG: 'false' },
        env_file: [{ path: '/src/web.env', required: true }],
        labels: { 'com.example.tier': 'front' },
        ports: [{ target: 80, published: '8080', protocol: 'tcp', mode: 'ingress', host_ip: '127.0.0.1' }],
        expose: ['9000'],
        healthcheck: { test: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], interval: '1m30s', timeout: '5s', start_period: '500ms', start_interval: '2.5s', retries: 3 },
        stop_grace_period: '1m',
        mem_limit: '512m',
        mem_reservation: '256m',
        memswap_limit: '-1',
        mem_swappiness: 60,
        shm_size: '64m',
        cpus: '0.5',
        build: { context: '/src/web', dockerfile: 'Dockerfile', args: { V: '1' }, shm_size: '2g', secrets: [{ source: 'token', mode: '0400' }] },
        volumes: [
          { type: 'tmpfs', target: '/run', tmpfs: { size: '10m', mode: '1777' } },
          { type: 'bind', source: '/srv', target: '/srv', read_only: true, bind: { create_host_path: true } },
          { type: 'volume', source: 'data', target: '/data', volume: { nocopy: true } },
        ],
        blkio_config: {
          weight: 300,
          device_read_bps: [{ path: '/dev/sda', rate: '1mb' }],
          device_write_iops: [{ path: '/dev/sda', rate: '500' }],
        },
        deploy: {
          replicas: 2,
          resources: { limits: { cpus: '1.5', memory: '1g', pids: 100 }, reservations: { memory: '512m' } },
          restart_policy: { condition: 'on-failure', delay: '5s', window: '2m', max_attempts: 3 },
          update_config: { delay: '10s', monitor: '1m', parallelism: 1 },
          rollback_config: { delay: '0s', monitor: '30s' },
        },
        secrets: [{ source: 'token', target: '/run/secrets/token', mode: '0440' }],
        configs: [{ source: 'app', target: '/etc/app.conf' }],
        depends_on: { db: { condition: 'service_healthy', required: true, restart: true } },
        networks: { front: { aliases: ['www'] }, back: null },
        restart: 'unless-stopped',
        develop: { watch: [{ path: '/src/web/static', action: 'sync', target: '/usr/share/nginx/html' }] },
        'x-team': { owner: 'shop', z: 1, a: 2 },
      },
      db: { image: 'postgres:16', environment: {}, volumes: [{ type: 'volume', source: 'data', target: '/var/lib/postgresql/data' }], networks: { back: null } },
    },
    networks: { front: { name: 'shop_front' }, back: { name: 'shop_back', internal: true } },
    volumes: { data: { name: 'shop_data', driver: 'local', labels: { b: '2', a: '1' } } },
    secrets: { token: { name: 'shop_token', file: '/run/token' } },
    configs: { app: { name: 'shop_app', content: 'hello' } },
    'x-defaults': { restart: 'always', list: [3, 1] },
  };
}

function bindInput(doc: Mapping, disabled: Mapping = {}): BindInput {
  return { doc, disabled, name: 'shop', workingDir: '/src', configFiles: ['/src/compose.yaml'], environment: {}, profiles: [] };
}

function sampleProject(): Project {
  return bindProject(bindInput(canonicalDoc(), { tools: { image: 'busybox', profiles: ['debug'], stop_grace_period: '3s' } }));
}

/** bind(render(project)), with the disabled services rendered back the same way. */
function roundTrip(project: Project): Project {
  const disabled: Mapping = {};
  for (const [name, service] of Object.entries(project.disabledServices)) disabled[name] = serviceToDocument(service) as Mapping;
  return bindProject({
    doc: projectToDocument(project) as Mapping,
    disabled,
    name: project.name,
    workingDir: project.workingDir,
    configFiles: project.configFiles,
    environment: project.environment,
    profiles: project.profiles,
  });
}

describe('projectToDocument', () => {
  it('writes durations Go-style, sizes as numbers or strings as the schema wants, modes in octal', () => {
    const web = projectToDocument(sampleProject()).services as Record<string, Record<string, any>>;
    const w = web.web!;
    assert.deepEqual(w.healthcheck, {
      interval: '1m30s',
      retries: 3,
      start_interval: '2.5s',
      start_period: '500ms',
      test: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'],
      timeout: '5s',
    });
    assert.equal(w.stop_grace_period, '1m0s');
    assert.equal(w.mem_limit, 512 * MiB);
    assert.equal(w.mem_reservation, 256 * MiB);
    assert.equal(w.memswap_limit, -1);
    assert.equal(w.shm_size, 64 * MiB);
    assert.equal(w.cpus, 0.5);
    assert.equal(w.build.shm_size, 2 * 1024 * MiB);
    assert.deepEqual(w.build.secrets, [{ mode: '0400', source: 'token' }]);
    assert.deepEqual(w.volumes[0], { target: '/run', tmpfs: { mode: '01777', size: 10 * MiB }, type: 'tmpfs' });
    assert.deepEqual(w.blkio_config, { device_read_bps: [{ path: '/dev/sda', rate: MiB }], device_write_iops: [{ path: '/dev/sda', rate: 500 }], weight: 300 });
    assert.deepEqual(w.deploy.resources, { limits: { cpus: 1.5, memory: '1073741824', pids: 100 }, reservations: { memory: '536870912' } });
    assert.deepEqual(w.deploy.restart_policy, { condition: 'on-failure', delay: '5s', max_attempts: 3, window: '2m0s' });
    assert.deepEqual(w.deploy.rollback_config, { delay: '0s', monitor: '30s' });
    assert.deepEqual(w.secrets, [{ mode: '0440', source: 'token', target: '/run/secrets/token' }]);
  });

  it('sorts services by name and every key inside them, except inside x- values', () => {
    const doc = projectToDocument(sampleProject());
    assert.deepEqual(Object.keys(doc), ['name', 'services', 'networks', 'volumes', 'secrets', 'configs', 'x-defaults']);
    const services = doc.services as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(services), ['db', 'web']);
    const keys = Object.keys(services.web!);
    assert.deepEqual(keys, [...keys].sort());
    assert.deepEqual(Object.keys(services.web!.environment as object), ['DEBUG', 'EMPTY', 'MODE']);
    assert.deepEqual(Object.keys(services.web!['x-team'] as object), ['owner', 'z', 'a']);
    assert.deepEqual(Object.keys((doc.volumes as any).data.labels), ['a', 'b']);
    assert.deepEqual(doc['x-defaults'], { restart: 'always', list: [3, 1] });
  });

  it('leaves out service names, empty environments, disabled services and empty sections', () => {
    const doc = projectToDocument(bindProject(bindInput({ services: { b: { image: 'x', environment: {} }, a: { image: 'y' } } }, { off: { image: 'z' } })));
    assert.deepEqual(doc, { name: 'shop', services: { a: { image: 'y' }, b: { image: 'x' } } });
  });

  it('is accepted by the official Compose schema and by the project schema', () => {
    const validators = schemaValidators();
    assert.ok(validators.length > 0, 'no compose schema found to validate against');
    const doc = projectToDocument(sampleProject());
    for (const { file, validate } of validators) assert.deepEqual(validate(doc), [], file);
    // The same after a trip through YAML text.
    const reread = YAML.parse(toYaml(doc));
    assert.deepEqual(reread, doc);
    for (const { file, validate } of validators) assert.deepEqual(validate(reread), [], file);
  });

  it('binds back to an equal project', () => {
    const project = sampleProject();
    assert.deepEqual(roundTrip(project), project);
    assert.deepEqual(roundTrip(roundTrip(project)), project);
  });

  it('binds back any durations and sizes to the same numbers', () => {
    const ns = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
    const bytes = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
    fc.assert(
      fc.property(ns, ns, bytes, bytes, fc.integer({ min: 0, max: 0o7777 }), (interval, grace, mem, memory, mode) => {
        const project = bindProject(bindInput({ services: { s: { image: 'x' } } }));
        Object.assign(project.services.s!, {
          healthcheck: { interval },
          stop_grace_period: grace,
          mem_limit: mem,
          deploy: { resources: { limits: { memory } } },
          secrets: [{ source: 'k', mode }],
        });
        assert.deepEqual(roundTrip(project), project);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a duration of several days exact', () => {
    const project = bindProject(bindInput({ services: { s: { image: 'x', stop_grace_period: '3d1ns' } } }));
    assert.equal(project.services.s!.stop_grace_period, 3 * 86400 * S + 1);
    assert.equal((projectToDocument(project).services as any).s.stop_grace_period, '72h0m0.000000001s');
    assert.deepEqual(roundTrip(project), project);
  });
});
