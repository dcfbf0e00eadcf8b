import assert from 'node:assert/strict';
import fc from 'fast-check';
import { GantryError } from '../../src/common/errors.js';
import { buildGraph, parallelLimit, traverse, type ServiceGraph, type TraversalResult } from '../../src/graph/index.js';
import type { Project, ServiceConfig } from '../../src/spec/types.js';

/** Services by name → the names they depend on (service_started). */
function graphOf(deps: Record<string, string[]>): ServiceGraph {
  const services: Record<string, Partial<ServiceConfig>> = {};
  for (const [name, on] of Object.entries(deps)) {
    services[name] = { name, depends_on: Object.fromEntries(on.map((d) => [d, { condition: 'service_started', required: true }])) };
  }
  return buildGraph({ name: 'demo', services } as unknown as Project);
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Lets every queued promise reaction run: after it, the traversal has
 * started everything it is going to start. Not a timer: no time passes.
 */
function drain(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A visit whose calls each wait until the test finishes or fails them. */
class Visits {
  readonly started: string[] = [];
  readonly running = new Set<string>();
  readonly signals = new Map<string, AbortSignal>();
  maxRunning = 0;
  private readonly gates = new Map<string, Deferred>();
  private readonly starts = new Map<string, Deferred>();

  readonly visit = (service: string, signal: AbortSignal): Promise<void> => {
    assert.ok(!this.started.includes(service), `${service} visited twice`);
    this.started.push(service);
    this.running.add(service);
    this.maxRunning = Math.max(this.maxRunning, this.running.size);
    this.signals.set(service, signal);
    this.entry(this.starts, service).resolve();
    return this.entry(this.gates, service).promise.finally(() => this.running.delete(service));
  };

  whenStarted(...services: string[]): Promise<unknown> {
    return Promise.all(services.map((s) => this.entry(this.starts, s).promise));
  }

  finish(service: string): Promise<void> {
    assert.ok(this.running.has(service), `${service} is not running`);
    this.entry(this.gates, service).resolve();
    return drain();
  }

  fail(service: string, error: unknown): Promise<void> {
    assert.ok(this.running.has(service), `${service} is not running`);
    this.entry(this.gates, service).reject(error);
    return drain();
  }

  private entry(map: Map<string, Deferred>, service: string): Deferred {
    let d = map.get(service);
    if (!d) map.set(service, (d = deferred()));
    return d;
  }
}

/** Tracks whether a promise has settled yet, without awaiting it. */
function watch<T>(p: Promise<T>): { settled: () => boolean; promise: Promise<T> } {
  let settled = false;
  const promise = p.finally(() => {
    settled = true;
  });
  promise.catch(() => {});
  return { settled: () => settled, promise };
}

describe('graph: traverse up', () => {
  it('runs the two middle services of a diamond at the same time', async () => {
    const g = graphOf({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'] });
    const v = new Visits();
    const run = traverse(g, v.visit, { direction: 'up' });
    await v.whenStarted('a');
    await drain();
    assert.deepEqual(v.started, ['a']);
    await v.finish('a');
    await v.whenStarted('b', 'c');
    assert.deepEqual([...v.running].sort(), ['b', 'c']);
    await v.finish('b');
    assert.ok(!v.started.includes('d'), 'd waits for c too');
    await v.finish('c');
    await v.whenStarted('d');
    await v.finish('d');
    assert.deepEqual(await run, { done: ['a', 'b', 'c', 'd'], failed: [], skipped: [] });
    assert.equal(v.maxRunning, 2);
  });

  it('does not hold an unrelated branch behind a slow one (no levels)', async () => {
    // slow → after; x → y → z. With levels, y would wait for slow.
    const g = graphOf({ slow: [], after: ['slow'], x: [], y: ['x'], z: ['y'] });
    const v = new Visits();
    const run = traverse(g, v.visit, { direction: 'up' });
    await v.whenStarted('slow', 'x');
    await v.finish('x');
    await v.finish('y');
    await v.finish('z');
    assert.deepEqual(v.started, ['slow', 'x', 'y', 'z']);
    assert.ok(v.running.has('slow'), 'the slow branch is still running');
    await v.finish('slow');
    await v.finish('after');
    assert.deepEqual((await run).done, g.order());
  });

  it('never runs more than the parallel limit, and starts the ready ones in order', async () => {
    const g = graphOf({ h: [], g: [], f: [], e: [], d: [], c: [], b: [], a: [] });
    const v = new Visits();
    const run = traverse(g, v.visit, { direction: 'up', parallel: 3 });
    await v.whenStarted('a', 'b', 'c');
    await drain();
    assert.deepEqual(v.started, ['a', 'b', 'c']);
    await v.finish('b');
    assert.deepEqual(v.started, ['a', 'b', 'c', 'd']);
    for (const s of ['a', 'd', 'c', 'e', 'f', 'g', 'h']) {
      await v.whenStarted(s);
      await v.finish(s);
    }
    assert.equal((await run).done.length, 8);
    assert.equal(v.maxRunning, 3);
  });

  it('with parallel 1 visits exactly in order()', async () => {
    const g = graphOf({ web: ['api', 'cache'], api: ['db'], worker: ['db'], cache: [], db: [], admin: [] });
    const seen: string[] = [];
    let running = 0;
    const result = await traverse(
      g,
      async (s) => {
        assert.equal(++running, 1);
        seen.push(s);
        await Promise.resolve();
        running--;
      },
      { direction: 'up', parallel: 1 },
    );
    assert.deepEqual(seen, g.order());
    assert.deepEqual(result.done, g.order());
  });

  it('skips what depends on a failed service, and lets independent branches go on', async () => {
    // a fails: b, c (through b) and d (through a) are skipped; x and y run.
    const g = graphOf({ a: [], b: ['a'], c: ['b'], x: [], d: ['a', 'x'], y: ['x'] });
    const v = new Visits();
    const run = traverse(g, v.visit, { direction: 'up' });
    await v.whenStarted('a', 'x');
    const boom = new Error('image not found');
    await v.fail('a', boom);
    await v.finish('x');
    await v.whenStarted('y');
    await v.finish('y');
    const result = await run;
    assert.deepEqual(result, { done: ['x', 'y'], failed: [{ service: 'a', error: boom }], skipped: ['b', 'c', 'd'] });
    assert.deepEqual(v.started, ['a', 'x', 'y']);
  });

  it('counts a visit that throws synchronously as failed', async () => {
    const g = graphOf({ a: [], b: ['a'] });
    const result = await traverse(
      g,
      (s) => {
        throw new Error(`no ${s}`);
      },
      { direction: 'up' },
    );
    assert.deepEqual(result.failed.map((f) => [f.service, (f.error as Error).message]), [['a', 'no a']]);
    assert.deepEqual(result.skipped, ['b']);
  });

  it('resolves at once for an empty graph', async () => {
    assert.deepEqual(await traverse(graphOf({}), async () => assert.fail('no visits'), { direction: 'up' }), { done: [], failed: [], skipped: [] });
  });
});

describe('graph: traverse down', () => {
  it('stops dependents before their dependencies', async () => {
    const g = graphOf({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'] });
    const v = new Visits();
    const run = traverse(g, v.visit, { direction: 'down' });
    await v.whenStarted('d');
    await drain();
    assert.deepEqual(v.started, ['d']);
    await v.finish('d');
    await v.whenStarted('b', 'c');
    assert.equal(v.running.size, 2);
    await v.finish('c');
    assert.ok(!v.started.includes('a'), 'a waits for b too');
    await v.finish('b');
    await v.whenStarted('a');
    await v.finish('a');
    assert.deepEqual(await run, { done: ['d', 'c', 'b', 'a'], failed: [], skipped: [] });
  });

  it('leaves a dependency running when a dependent failed to stop', async () => {
    const g = graphOf({ db: [], web: ['db'], other: [] });
    const v = new Visits();
    const run = traverse(g, v.visit, { direction: 'down' });
    await v.whenStarted('web', 'other');
    await v.fail('web', new Error('stuck'));
    await v.finish('other');
    const result = await run;
    assert.deepEqual([result.done, result.failed.map((f) => f.service), result.skipped], [['other'], ['web'], ['db']]);
  });
});

describe('graph: traverse only some services', () => {
  it('visits only the named ones, still ordered through the others', async () => {
    // a → x → c: with only [a, c], c still goes before a.
    const g = graphOf({ a: ['x'], x: ['c'], c: [], free: [] });
    const v = new Visits();
    const run = traverse(g, v.visit, { direction: 'up', only: ['a', 'c'], parallel: 1 });
    await v.whenStarted('c');
    await drain();
    assert.deepEqual(v.started, ['c']);
    await v.finish('c');
    await v.whenStarted('a');
    await v.finish('a');
    assert.deepEqual(await run, { done: ['c', 'a'], failed: [], skipped: [] });
    assert.deepEqual(v.started, ['c', 'a']);
  });

  it('skips through the others, and lists only the named ones', async () => {
    const g = graphOf({ a: ['x'], x: ['c'], c: [] });
    const result = await traverse(g, async (s) => assert.notEqual(s, 'c'), { direction: 'up', only: ['a', 'c'] });
    assert.deepEqual([result.done, result.failed.map((f) => f.service), result.skipped], [[], ['c'], ['a']]);
  });
});

describe('graph: traverse abort', () => {
  it('starts nothing more, lets running visits settle, then rejects with the reason', async () => {
    const g = graphOf({ a: [], b: ['a'], x: [] });
    const v = new Visits();
    const controller = new AbortController();
    const run = watch(traverse(g, v.visit, { direction: 'up', signal: controller.signal }));
    await v.whenStarted('a', 'x');
    const reason = new Error('interrupted');
    controller.abort(reason);
    assert.equal(v.signals.get('a')!.aborted, true);
    assert.equal(v.signals.get('a')!.reason, reason);
    await v.finish('a');
    assert.equal(run.settled(), false, 'x is still running');
    assert.deepEqual(v.started, ['a', 'x'], 'b was not started');
    await v.fail('x', new Error('aborted'));
    await assert.rejects(run.promise, (e) => e === reason);
  });

  it('rejects at once when already aborted', async () => {
    const reason = new Error('too late');
    const visited: string[] = [];
    const run = traverse(graphOf({ a: [] }), async (s) => void visited.push(s), { direction: 'up', signal: AbortSignal.abort(reason) });
    await assert.rejects(run, (e) => e === reason);
    assert.deepEqual(visited, []);
  });

  it('ignores an abort after the traversal finished', async () => {
    const controller = new AbortController();
    const result = await traverse(graphOf({ a: [] }), async () => {}, { direction: 'up', signal: controller.signal });
    controller.abort();
    assert.deepEqual(result.done, ['a']);
  });
});

describe('graph: traverse options', () => {
  const g = graphOf({ a: [] });
  const bad = (fn: () => unknown, kind: string) =>
    assert.throws(fn, (e) => e instanceof GantryError && e.kind === kind);

  it('rejects a parallel limit below 1 or not whole', () => {
    bad(() => traverse(g, async () => {}, { direction: 'up', parallel: 0 }), 'usage');
    bad(() => traverse(g, async () => {}, { direction: 'up', parallel: 1.5 }), 'usage');
  });

  it('rejects an unknown service in only', () => {
    bad(() => traverse(g, async () => {}, { direction: 'up', only: ['b'] }), 'reference');
  });
});

describe('graph: traverse properties', () => {
  // A random DAG: service i may depend on any service j < i.
  const dag = fc.integer({ min: 1, max: 12 }).chain((n) =>
    fc.record({
      deps: fc.tuple(...Array.from({ length: n }, (_, i) => fc.subarray(Array.from({ length: i }, (_, j) => j)))),
      delays: fc.array(fc.nat({ max: 5 }), { minLength: n, maxLength: n }),
      fails: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      parallel: fc.oneof(fc.constant(Infinity), fc.integer({ min: 1, max: 4 })),
      direction: fc.constantFrom('up' as const, 'down' as const),
    }),
  );

  it('respects order, the limit and failure, whatever the graph and timing', async () => {
    await fc.assert(
      fc.asyncProperty(dag, async ({ deps, delays, fails, parallel, direction }) => {
        const spec: Record<string, string[]> = {};
        deps.forEach((on, i) => (spec[`s${i}`] = on.map((j) => `s${j}`)));
        const g = graphOf(spec);
        const index = (s: string) => Number(s.slice(1));
        const prerequisites = (s: string) => (direction === 'up' ? g.dependenciesOf(s) : g.dependentsOf(s));
        const finished = new Set<string>();
        let running = 0;
        let most = 0;
        const result: TraversalResult = await traverse(
          g,
          async (s) => {
            for (const p of prerequisites(s)) assert.ok(finished.has(p), `${s} started before ${p} finished`);
            most = Math.max(most, ++running);
            for (let k = 0; k < delays[index(s)]!; k++) await Promise.resolve();
            running--;
            if (fails[index(s)]) throw new Error(s);
            finished.add(s);
          },
          { direction, parallel },
        );
        assert.ok(most <= parallel);
        const failed = result.failed.map((f) => f.service);
        assert.deepEqual([...result.done, ...failed, ...result.skipped].sort(), [...g.services].sort());
        assert.deepEqual(new Set(result.done), finished);
        for (const s of g.services) {
          const blocked = prerequisites(s).some((p) => !finished.has(p));
          assert.equal(result.skipped.includes(s), blocked, `${s} skipped iff a prerequisite did not finish`);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('graph: parallelLimit', () => {
  const usage = (fn: () => unknown) => assert.throws(fn, (e) => e instanceof GantryError && e.kind === 'usage' && !!e.hint);

  it('is unlimited when unset, empty or -1', () => {
    assert.equal(parallelLimit({}), Infinity);
    assert.equal(parallelLimit({ COMPOSE_PARALLEL_LIMIT: '' }), Infinity);
    assert.equal(parallelLimit({ COMPOSE_PARALLEL_LIMIT: '-1' }), Infinity);
    assert.equal(parallelLimit({}, -1), Infinity);
    assert.equal(parallelLimit({}, '-1'), Infinity);
  });

  it('reads the variable, and the flag wins over it', () => {
    assert.equal(parallelLimit({ COMPOSE_PARALLEL_LIMIT: ' 4 ' }), 4);
    assert.equal(parallelLimit({ COMPOSE_PARALLEL_LIMIT: '4' }, '2'), 2);
    assert.equal(parallelLimit({ COMPOSE_PARALLEL_LIMIT: 'junk' }, 3), 3);
  });

  it('rejects anything else as a usage error naming its source', () => {
    usage(() => parallelLimit({}, 0));
    usage(() => parallelLimit({}, '1.5'));
    usage(() => parallelLimit({}, '-2'));
    usage(() => parallelLimit({}, 'four'));
    assert.throws(() => parallelLimit({ COMPOSE_PARALLEL_LIMIT: 'x' }), /COMPOSE_PARALLEL_LIMIT must be/);
    assert.throws(() => parallelLimit({}, 'x'), /--parallel must be/);
  });
});
