// Walking the graph with as much parallelism as it allows: each service goes
// the moment its own prerequisites are through, never waiting for a "level"
// to finish, so a slow branch holds up only what depends on it.

import { GantryError } from '../common/errors.js';
import { ReadyQueue } from './ready-queue.js';
import type { ServiceGraph } from './service-graph.js';

export interface TraversalOptions {
  /** 'up': dependencies first (create, start). 'down': dependents first (stop, remove). */
  direction: 'up' | 'down';
  /** Most visits running at once; Infinity (the default) or an integer ≥ 1. */
  parallel?: number;
  /**
   * Visit only these services. The others are passed through instantly, so
   * `a → x → c` with only `[a, c]` still visits c before a.
   */
  only?: Iterable<string>;
  /** Abort: start nothing more, let running visits settle, reject with the reason. */
  signal?: AbortSignal;
}

export interface TraversalResult {
  /** Visited successfully, in traversal order. */
  done: string[];
  /** Visits that threw or rejected, in traversal order. */
  failed: { service: string; error: unknown }[];
  /** Not visited because something they wait for failed or was skipped, in traversal order. */
  skipped: string[];
}

export type Visit = (service: string, signal: AbortSignal) => Promise<void>;

/**
 * Visit every service (or `only` those) in dependency order. A failed visit
 * skips what waits on it, transitively; independent branches go on. Rejects
 * only when aborted. Throws `usage` for a bad `parallel` and `reference` for
 * an unknown name in `only`, before anything is visited.
 */
export function traverse(graph: ServiceGraph, visit: Visit, opts: TraversalOptions): Promise<TraversalResult> {
  const parallel = opts.parallel ?? Infinity;
  if (!(parallel === Infinity || (Number.isInteger(parallel) && parallel >= 1))) {
    throw new GantryError('usage', `parallelism must be a whole number of at least 1, got ${parallel}`, {
      hint: 'leave it out (or pass Infinity) for no limit',
    });
  }
  const included = opts.only === undefined ? undefined : new Set([...opts.only].map((n) => graph.serviceNamed(n)));
  const signal = opts.signal;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Walk(graph, visit, opts.direction, parallel, included, signal).run();
}

type Outcome = 'done' | 'failed' | 'skipped';

class Walk {
  // Prerequisites are dependencies going up, dependents going down.
  private readonly before: 'dependencies' | 'dependents';
  private readonly after: 'dependencies' | 'dependents';
  private readonly waiting = new Map<string, number>();
  private readonly outcome = new Map<string, Outcome>();
  private readonly errors = new Map<string, unknown>();
  private readonly ready: ReadyQueue<string>;
  private readonly passing: string[] = [];
  private readonly controller = new AbortController();
  private inFlight = 0;
  private settled = 0;
  private aborted = false;
  private ended = false;
  private finish!: (r: TraversalResult) => void;
  private fail!: (reason: unknown) => void;

  constructor(
    private readonly graph: ServiceGraph,
    private readonly visit: Visit,
    private readonly direction: 'up' | 'down',
    private readonly parallel: number,
    private readonly included: ReadonlySet<string> | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.before = direction === 'up' ? 'dependencies' : 'dependents';
    this.after = direction === 'up' ? 'dependents' : 'dependencies';
    const first = direction === 'up' ? (a: string, b: string) => graph.rankOf(a) < graph.rankOf(b) : (a: string, b: string) => graph.rankOf(a) > graph.rankOf(b);
    this.ready = new ReadyQueue(first);
  }

  run(): Promise<TraversalResult> {
    return new Promise<TraversalResult>((resolve, reject) => {
      this.finish = resolve;
      this.fail = reject;
      this.signal?.addEventListener('abort', this.onAbort, { once: true });
      for (const name of this.graph.services) {
        const n = this.graph.adjacent(name, this.before).length;
        this.waiting.set(name, n);
        if (n === 0) this.makeReady(name);
      }
      this.pump();
    });
  }

  private readonly onAbort = (): void => {
    this.aborted = true;
    this.controller.abort(this.signal!.reason);
    this.maybeEnd();
  };

  // Services left out by `only` take no slot: they settle as soon as they are
  // ready, so they order the others without slowing them.
  private makeReady(name: string): void {
    if (this.included === undefined || this.included.has(name)) this.ready.push(name);
    else this.passing.push(name);
  }

  /** Pass through what is excluded, then start what is ready, within the limit. */
  private pump(): void {
    while (!this.aborted) {
      const through = this.passing.pop();
      if (through !== undefined) {
        this.settle(through, 'done');
        continue;
      }
      if (this.inFlight >= this.parallel || this.ready.size === 0) break;
      this.start(this.ready.pop()!);
    }
    this.maybeEnd();
  }

  private start(name: string): void {
    this.inFlight++;
    let running: Promise<void>;
    try {
      running = Promise.resolve(this.visit(name, this.controller.signal));
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      () => this.afterVisit(name, 'done'),
      (error: unknown) => {
        this.errors.set(name, error);
        this.afterVisit(name, 'failed');
      },
    );
  }

  private afterVisit(name: string, outcome: 'done' | 'failed'): void {
    this.inFlight--;
    this.settle(name, outcome);
    this.pump();
  }

  private settle(name: string, outcome: Outcome): void {
    this.outcome.set(name, outcome);
    this.settled++;
    if (outcome === 'done') {
      for (const next of this.graph.adjacent(name, this.after)) {
        const left = this.waiting.get(next)! - 1;
        this.waiting.set(next, left);
        if (left === 0 && !this.outcome.has(next)) this.makeReady(next);
      }
      return;
    }
    // Nothing that waits on `name` can have started: it needed `name` done.
    const work = [name];
    while (work.length > 0) {
      for (const next of this.graph.adjacent(work.pop()!, this.after)) {
        if (this.outcome.has(next)) continue;
        this.outcome.set(next, 'skipped');
        this.settled++;
        work.push(next);
      }
    }
  }

  private maybeEnd(): void {
    if (this.ended || this.inFlight > 0) return;
    if (!this.aborted && this.settled < this.graph.services.length) return;
    this.ended = true;
    this.signal?.removeEventListener('abort', this.onAbort);
    if (this.aborted) this.fail(this.signal!.reason);
    else this.finish(this.result());
  }

  private result(): TraversalResult {
    const order = this.direction === 'up' ? this.graph.order() : this.graph.reverseOrder();
    const result: TraversalResult = { done: [], failed: [], skipped: [] };
    for (const name of order) {
      if (this.included !== undefined && !this.included.has(name)) continue;
      const outcome = this.outcome.get(name);
      if (outcome === 'done') result.done.push(name);
      else if (outcome === 'failed') result.failed.push({ service: name, error: this.errors.get(name) });
      else if (outcome === 'skipped') result.skipped.push(name);
    }
    return result;
  }
}
