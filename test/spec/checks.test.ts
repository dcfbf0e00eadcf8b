import assert from 'node:assert/strict';
import { GantryError, GantryErrors } from '../../src/common/errors.js';
import { checkProject } from '../../src/spec/checks.js';
import type { Warning } from '../../src/spec/context.js';
import { setChildPosition, type Mapping } from '../../src/spec/tree.js';

function check(doc: Mapping, disabled: Mapping = {}): Warning[] {
  const warnings: Warning[] = [];
  checkProject(doc, { disabled, warn: (w) => warnings.push(w) });
  return warnings;
}

function errorsOf(fn: () => unknown): GantryError[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof GantryErrors) return e.errors;
    if (e instanceof GantryError) return [e];
    throw e;
  }
  assert.fail('expected an error');
}

const dep = (condition = 'service_started', required = true) => ({ condition, required });

describe('semantic checks', () => {
  it('accepts a consistent project', () => {
    assert.deepEqual(check({ services: { web: { image: 'busybox', depends_on: { db: dep() }, networks: { default: null } }, db: { image: 'busybox' } } }), []);
  });

  it('names an unknown dependency with a did-you-mean and its position', () => {
    const deps: Mapping = { dbb: dep() };
    setChildPosition(deps, 'dbb', { file: 'compose.yaml', line: 5, col: 9 });
    const [e] = errorsOf(() => check({ services: { web: { image: 'busybox', depends_on: deps }, db: { image: 'busybox' } } }));
    assert.equal(e!.kind, 'reference');
    assert.equal(e!.path, 'services.web.depends_on.dbb');
    assert.equal(e!.message, 'service "web" refers to an undefined service "dbb" (depends_on)');
    assert.equal(e!.hint, 'did you mean "db"?');
    assert.deepEqual(e!.position, { file: 'compose.yaml', line: 5, col: 9 });
  });

  it('tells which profile enables a disabled dependency', () => {
    const [e] = errorsOf(() => check({ services: { web: { image: 'b', links: ['db:database'] } } }, { db: { image: 'b', profiles: ['debug'] } }));
    assert.match(e!.message, /not enabled "db" \(links\)/);
    assert.match(e!.hint!, /--profile debug/);
  });

  it('only warns for a dependency with required: false', () => {
    const w = check({ services: { web: { image: 'b', depends_on: { gone: dep('service_started', false) } } } });
    assert.equal(w.length, 1);
    assert.match(w[0]!.message, /required: false/);
  });

  it('names the whole cycle in a stable order', () => {
    const doc = {
      services: {
        a: { image: 'b', depends_on: { b: dep() } },
        b: { image: 'b', depends_on: { c: dep() } },
        c: { image: 'b', depends_on: { a: dep() } },
      },
    };
    const [e] = errorsOf(() => check(doc));
    assert.equal(e!.kind, 'cycle');
    assert.equal(e!.message, 'dependency cycle: a -> b -> c -> a');
    assert.equal(e!.path, 'services.a.depends_on.b');
  });

  it('sees cycles through network_mode and volumes_from', () => {
    const [e] = errorsOf(() => check({ services: { a: { image: 'b', network_mode: 'service:b' }, b: { image: 'b', volumes_from: ['a:ro'] } } }));
    assert.equal(e!.message, 'dependency cycle: a -> b -> a');
  });

  it('checks networks, volumes, secrets and configs are declared', () => {
    const errs = errorsOf(() =>
      check({
        services: {
          web: {
            image: 'b',
            networks: { front: null, bakc: null },
            volumes: [{ type: 'volume', source: 'dat', target: '/d' }, { type: 'bind', source: '/x', target: '/x' }],
            secrets: [{ source: 'tok' }],
            configs: [{ source: 'cfg' }],
          },
        },
        networks: { front: {}, back: {} },
        volumes: { data: {} },
        secrets: { token: { file: '/t' } },
      }),
    );
    assert.deepEqual(errs.map((e) => e.path), ['services.web.networks.bakc', 'services.web.volumes[0]', 'services.web.secrets[0]', 'services.web.configs[0]']);
    assert.equal(errs[0]!.hint, 'did you mean "back"?');
    assert.equal(errs[1]!.hint, 'did you mean "data"?');
  });

  it('rejects container_name with several replicas, bad images and services without image or build', () => {
    const errs = errorsOf(() =>
      check({ services: { a: { image: 'b', container_name: 'x', scale: 3 }, b: { image: 'Busybox:latest' }, c: { command: ['true'] } } }),
    );
    assert.deepEqual(errs.map((e) => e.path), ['services.a.container_name', 'services.b.image', 'services.c']);
    assert.match(errs[1]!.message, /lowercase/);
    assert.match(errs[2]!.message, /neither an image nor a build/);
  });
});

describe('semantic checks on implied dependencies', () => {
  it('reports a links reference once, as written, even when normalize implied a depends_on', () => {
    const errs = errorsOf(() => check({ services: { web: { image: 'b', links: ['dbx'], depends_on: { dbx: { condition: 'service_started', required: true } } }, db: { image: 'b' } } }));
    assert.equal(errs.length, 1);
    assert.equal(errs[0]!.path, 'services.web.links[0]');
  });
});
