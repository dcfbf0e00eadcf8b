import assert from 'node:assert/strict';
import { GantryError } from '../../src/common/errors.js';
import { buildGraph } from '../../src/graph/index.js';
import type { Project, ServiceConfig, ServiceDependency } from '../../src/spec/types.js';

function project(services: Record<string, Partial<ServiceConfig>>, extra: Record<string, unknown> = {}): Project {
  const named = Object.fromEntries(Object.entries(services).map(([n, s]) => [n, { name: n, ...s }]));
  return { name: 'demo', services: named, ...extra } as unknown as Project;
}

function dep(condition: ServiceDependency['condition'] = 'service_started', required = true, restart?: boolean): ServiceDependency {
  return restart === undefined ? { condition, required } : { condition, required, restart };
}

/** depends_on for each name, all `service_started`. */
function on(...names: string[]): Partial<ServiceConfig> {
  return { depends_on: Object.fromEntries(names.map((n) => [n, dep()])) };
}

function errorOf(fn: () => unknown): GantryError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof GantryError, `expected a GantryError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an error');
}

describe('graph: building', () => {
  it('makes an edge for each depends_on, link, service network mode and volumes_from', () => {
    const g = buildGraph(
      project({
        web: {
          depends_on: { db: dep('service_healthy', true, true), init: dep('service_completed_successfully') },
          links: ['cache:redis'],
          network_mode: 'service:vpn',
          volumes_from: ['data:ro', 'container:outside:rw'],
        },
        db: {},
        init: {},
        cache: {},
        vpn: {},
        data: {},
      }),
    );
    assert.deepEqual(g.services, ['web', 'db', 'init', 'cache', 'vpn', 'data']);
    assert.deepEqual(
      g.edges.map((e) => [e.from, e.to, e.via, e.path, e.condition, e.required, e.restart]),
      [
        ['web', 'db', 'depends_on', 'services.web.depends_on.db', 'service_healthy', true, true],
        ['web', 'init', 'depends_on', 'services.web.depends_on.init', 'service_completed_successfully', true, false],
        ['web', 'cache', 'links', 'services.web.links[0]', 'service_started', true, true],
        ['web', 'vpn', 'network_mode', 'services.web.network_mode', 'service_started', true, true],
        ['web', 'data', 'volumes_from', 'services.web.volumes_from[0]', 'service_started', true, false],
      ],
    );
    assert.deepEqual(g.dependenciesOf('web'), ['cache', 'data', 'db', 'init', 'vpn']);
  });

  it('counts a pair once when several attributes join it (links imply depends_on)', () => {
    const g = buildGraph(project({ web: { depends_on: { db: dep() }, links: ['db'] }, db: {} }));
    assert.equal(g.edges.length, 2);
    assert.deepEqual(g.dependenciesOf('web'), ['db']);
    assert.deepEqual(g.dependentsOf('db'), ['web']);
    assert.deepEqual(g.edgesFrom('web').map((e) => e.via), ['depends_on', 'links']);
  });

  it('ignores network modes that are not service:, and namespaces from other services count', () => {
    const g = buildGraph(project({ a: { network_mode: 'host' }, b: { network_mode: 'container:x', pid: 'service:a' } }));
    assert.deepEqual(g.edges.map((e) => [e.from, e.to, e.via, e.path]), [['b', 'a', 'pid', 'services.b.pid']]);
  });

  it('keeps optional dependencies on absent services aside, out of the order', () => {
    const g = buildGraph(project({ web: { depends_on: { db: dep(), metrics: dep('service_started', false) } }, db: {} }));
    assert.deepEqual(g.missingOptional.map((e) => [e.from, e.to, e.path]), [['web', 'metrics', 'services.web.depends_on.metrics']]);
    assert.deepEqual(g.order(), ['db', 'web']);
    assert.deepEqual(g.dependenciesOf('web'), ['db']);
    assert.equal(g.has('metrics'), false);
  });

  it('rejects a required reference to a service outside the project', () => {
    const e = errorOf(() => buildGraph(project({ web: { links: ['dbb'] }, db: {} })));
    assert.equal(e.kind, 'reference');
    assert.equal(e.path, 'services.web.links[0]');
    assert.match(e.message, /undefined service "dbb" \(links\)/);
    assert.equal(e.hint, 'did you mean "db"?');
  });

  it('says how to enable a required service left out by a profile', () => {
    const e = errorOf(() => buildGraph(project({ web: on('debug') }, { disabledServices: { debug: { name: 'debug', profiles: ['dev'] } } })));
    assert.equal(e.kind, 'reference');
    assert.equal(e.path, 'services.web.depends_on.debug');
    assert.match(e.message, /"debug" \(depends_on\), which is not enabled/);
    assert.match(e.hint ?? '', /--profile dev/);
  });

  it('brackets service names with dots in paths', () => {
    const g = buildGraph(project({ 'web.v2': on('db'), db: {} }));
    assert.equal(g.edges[0]!.path, 'services["web.v2"].depends_on.db');
  });
});

describe('graph: cycles', () => {
  it('names the whole cycle, from the first declared service, with the first edge as path', () => {
    const e = errorOf(() => buildGraph(project({ a: on('b'), b: on('c'), c: on('a') })));
    assert.equal(e.kind, 'cycle');
    assert.equal(e.message, 'dependency cycle: a -> b -> c -> a');
    assert.equal(e.path, 'services.a.depends_on.b');
    assert.equal(e.hint, 'services cannot wait for each other; remove one of these depends_on references');
  });

  it('reports the same cycle whichever service the search entered it from', () => {
    // The search enters at x, reaches a first; the report still starts at b.
    const e = errorOf(() => buildGraph(project({ x: on('a'), b: on('a'), a: on('b') })));
    assert.equal(e.message, 'dependency cycle: b -> a -> b');
    assert.equal(e.path, 'services.b.depends_on.a');
  });

  it('names the attribute of each edge when they differ', () => {
    const e = errorOf(() =>
      buildGraph(project({ a: { links: ['b:bee'] }, b: { network_mode: 'service:c' }, c: { volumes_from: ['d:ro'] }, d: on('a') })),
    );
    assert.equal(e.message, 'dependency cycle: a -> b -> c -> d -> a (a links b, b network_mode service:c, c volumes_from d, d depends_on a)');
    assert.equal(e.path, 'services.a.links[0]');
    assert.match(e.hint ?? '', /references \(links, network_mode, volumes_from, depends_on\)/);
  });

  it('names the link rather than the depends_on entry the loader adds for it', () => {
    const e = errorOf(() => buildGraph(project({ a: { depends_on: { b: dep('service_started', true, true) }, links: ['b'] }, b: on('a') })));
    assert.equal(e.message, 'dependency cycle: a -> b -> a (a links b, b depends_on a)');
    assert.equal(e.path, 'services.a.links[0]');
  });

  it('catches a service that depends on itself', () => {
    const e = errorOf(() => buildGraph(project({ ok: {}, me: on('ok', 'me') })));
    assert.equal(e.message, 'dependency cycle: me -> me');
    assert.equal(e.path, 'services.me.depends_on.me');
  });

  it('walks a very long chain without overflowing the stack', () => {
    const services: Record<string, Partial<ServiceConfig>> = {};
    const n = 20000;
    for (let i = 0; i < n; i++) services[`s${i}`] = i + 1 < n ? on(`s${i + 1}`) : on('s0');
    const e = errorOf(() => buildGraph(project(services)));
    assert.ok(e.message.startsWith('dependency cycle: s0 -> s1 -> s2 -> '));
    assert.ok(e.message.endsWith(' -> s19999 -> s0'));
  });
});

describe('graph: queries', () => {
  //   web → api → db
  //   web → cache
  //   worker → db
  //   admin (alone)
  const g = buildGraph(project({ web: on('api', 'cache'), api: on('db'), worker: on('db'), cache: {}, db: {}, admin: {} }));

  it('order(): dependencies first, ties by name', () => {
    assert.deepEqual(g.order(), ['admin', 'cache', 'db', 'api', 'web', 'worker']);
    assert.deepEqual(g.reverseOrder(), ['worker', 'web', 'api', 'db', 'cache', 'admin']);
  });

  it('order() breaks ties by name where a depth-first sort would not', () => {
    // d and c become free together once a and e are done; c goes first.
    const h = buildGraph(project({ a: on('e'), b: {}, c: on('e'), d: on('a'), e: {} }));
    assert.deepEqual(h.order(), ['b', 'e', 'a', 'c', 'd']);
  });

  it('order() does not depend on declaration order', () => {
    const h = buildGraph(project({ db: {}, admin: {}, cache: {}, worker: on('db'), api: on('db'), web: on('cache', 'api') }));
    assert.deepEqual(h.order(), g.order());
  });

  it('direct neighbours', () => {
    assert.deepEqual(g.dependenciesOf('web'), ['cache', 'api']);
    assert.deepEqual(g.dependentsOf('db'), ['api', 'worker']);
    assert.deepEqual(g.dependenciesOf('db'), []);
  });

  it('closures, in dependency order', () => {
    assert.deepEqual(g.withDependencies(['web']), ['cache', 'db', 'api', 'web']);
    assert.deepEqual(g.withDependencies(['worker', 'admin']), ['admin', 'db', 'worker']);
    assert.deepEqual(g.withDependents(['db']), ['db', 'api', 'web', 'worker']);
    assert.deepEqual(g.withDependents([]), []);
  });

  it('roots need nothing else to need them; leaves need nothing', () => {
    assert.deepEqual(g.roots(), ['admin', 'web', 'worker']);
    assert.deepEqual(g.leaves(), ['admin', 'cache', 'db']);
  });

  it('unknown names are reference errors with a suggestion', () => {
    const e = errorOf(() => g.withDependencies(['wbe']));
    assert.equal(e.kind, 'reference');
    assert.equal(e.message, 'no such service: "wbe"');
    assert.equal(e.hint, 'did you mean "web"?');
    assert.equal(errorOf(() => g.dependentsOf('nope')).kind, 'reference');
  });

  it('answers are copies: changing one does not change the graph', () => {
    const order = g.order();
    order.pop();
    assert.equal(g.order().length, 6);
  });

  it('an empty project is an empty graph', () => {
    const h = buildGraph(project({}));
    assert.deepEqual([h.order(), h.roots(), h.leaves()], [[], [], []]);
  });

  it('builds and orders 1,000 services quickly', () => {
    const services: Record<string, Partial<ServiceConfig>> = {};
    for (let i = 0; i < 1000; i++) {
      const deps = [i - 1, i - 7, i - 31].filter((j) => j >= 0).map((j) => `svc${j}`);
      services[`svc${i}`] = { ...on(...deps), links: i >= 3 ? [`svc${i - 3}:alias`] : [] };
    }
    const started = performance.now();
    const h = buildGraph(project(services));
    const order = h.order();
    const elapsed = performance.now() - started;
    assert.equal(order.length, 1000);
    const rank = new Map(order.map((n, i) => [n, i]));
    for (const e of h.edges) assert.ok(rank.get(e.to)! < rank.get(e.from)!, `${e.to} before ${e.from}`);
    assert.ok(elapsed < 100, `took ${elapsed.toFixed(1)} ms`);
  });
});
