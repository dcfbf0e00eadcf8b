import assert from 'node:assert/strict';
import { serviceConfigHash, serviceFieldDigests } from '../../src/spec/hash.js';
import type { ServiceConfig } from '../../src/spec/types.js';

function web(): ServiceConfig {
  return {
    name: 'web',
    image: 'nginx:1.25',
    command: ['nginx', '-g', 'daemon off;'],
    environment: { MODE: 'prod', LEVEL: 'info', EMPTY: null },
    labels: { tier: 'front' },
    ports: [{ target: 80, published: '8080', protocol: 'tcp', mode: 'ingress' }],
    healthcheck: { test: ['CMD', 'true'], interval: 30e9, retries: 3 },
    deploy: { replicas: 2, resources: { limits: { memory: 1024 } } },
    depends_on: { db: { condition: 'service_started', required: true } },
  };
}

/** The same service written in another order, at every level. */
function webReordered(): ServiceConfig {
  return {
    depends_on: { db: { required: true, condition: 'service_started' } },
    deploy: { resources: { limits: { memory: 1024 } }, replicas: 2 },
    healthcheck: { retries: 3, interval: 30e9, test: ['CMD', 'true'] },
    ports: [{ mode: 'ingress', protocol: 'tcp', published: '8080', target: 80 }],
    labels: { tier: 'front' },
    environment: { EMPTY: null, LEVEL: 'info', MODE: 'prod' },
    command: ['nginx', '-g', 'daemon off;'],
    image: 'nginx:1.25',
    name: 'web',
  };
}

function changed(patch: (s: ServiceConfig) => void): ServiceConfig {
  const s = web();
  patch(s);
  return s;
}

describe('serviceConfigHash', () => {
  it('is a sha256 in hex', () => {
    assert.match(serviceConfigHash(web()), /^[0-9a-f]{64}$/);
  });

  it('does not depend on the order keys were written in', () => {
    assert.equal(serviceConfigHash(webReordered()), serviceConfigHash(web()));
  });

  it('changes with what the container is made of', () => {
    const base = serviceConfigHash(web());
    const changes: [string, (s: ServiceConfig) => void][] = [
      ['image', (s) => (s.image = 'nginx:1.26')],
      ['an environment variable', (s) => (s.environment.MODE = 'dev')],
      ['an environment variable set to null', (s) => (s.environment.EMPTY = '')],
      ['a new label', (s) => (s.labels!.extra = 'x')],
      ['the command', (s) => (s.command = ['nginx'])],
      ['command cleared', (s) => (s.command = [])],
      ['the order of the command', (s) => (s.command = ['-g', 'nginx', 'daemon off;'])],
      ['a port', (s) => (s.ports![0]!.published = '8081')],
      ['a healthcheck duration', (s) => (s.healthcheck!.interval = 31e9)],
      ['deploy resources', (s) => (s.deploy = { replicas: 2, resources: { limits: { memory: 2048 } } })],
      ['a new attribute', (s) => (s.user = 'nobody')],
    ];
    for (const [what, patch] of changes) assert.notEqual(serviceConfigHash(changed(patch)), base, what);
  });

  it('stays the same for what does not need a new container', () => {
    const base = serviceConfigHash(web());
    const changes: [string, (s: ServiceConfig) => void][] = [
      ['scale', (s) => (s.scale = 5)],
      ['deploy.replicas', (s) => (s.deploy!.replicas = 7)],
      ['build', (s) => (s.build = { context: '/src' })],
      ['pull_policy', (s) => (s.pull_policy = 'always')],
      ['depends_on', (s) => delete s.depends_on],
      ['profiles', (s) => (s.profiles = ['debug'])],
      ['develop', (s) => (s.develop = { watch: [{ path: '/src', action: 'rebuild' }] })],
      ['env_file', (s) => (s.env_file = [{ path: '/src/.env', required: true }])],
      ['attach', (s) => (s.attach = false)],
      ['an x- extension', (s) => (s['x-note'] = 'hi')],
      ['the service name', (s) => (s.name = 'other')],
      ['an empty mapping for an absent one', (s) => (s.annotations = {})],
      ['null for an absent attribute', (s) => (s.entrypoint = null)],
      ['an undefined member', (s) => (s.user = undefined)],
    ];
    for (const [what, patch] of changes) assert.equal(serviceConfigHash(changed(patch)), base, what);
  });

  it('treats a deploy section that only sets replicas as no deploy section', () => {
    const a = changed((s) => (s.deploy = { replicas: 3 }));
    const b = changed((s) => delete s.deploy);
    assert.equal(serviceConfigHash(a), serviceConfigHash(b));
  });
});

describe('serviceFieldDigests', () => {
  it('gives a short digest for each attribute that feeds the hash', () => {
    const digests = serviceFieldDigests(web());
    assert.deepEqual(Object.keys(digests), ['command', 'deploy', 'environment', 'healthcheck', 'image', 'labels', 'ports']);
    for (const d of Object.values(digests)) assert.match(d, /^[0-9a-f]{12}$/);
    assert.deepEqual(serviceFieldDigests(webReordered()), digests);
  });

  it('names the attribute that changed', () => {
    const before = serviceFieldDigests(web());
    const after = serviceFieldDigests(changed((s) => (s.environment.MODE = 'dev')));
    const differing = Object.keys(before).filter((k) => before[k] !== after[k]);
    assert.deepEqual(differing, ['environment']);
  });
});
