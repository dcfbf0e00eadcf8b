// The graph of one project's services and the questions commands ask of it:
// what must run before what, what a named service drags in, in which order.
// Results that are sets come back in dependency order (see order()), so every
// answer is the same for the same file.

import { GantryError } from '../common/errors.js';
import { suggestion } from '../common/suggest.js';
import type { Project } from '../spec/types.js';
import { assertAcyclic } from './cycle.js';
import { edgesOf, type DependencyEdge } from './edges.js';
import { ReadyQueue } from './ready-queue.js';

export class ServiceGraph {
  /** Distinct dependencies per service, in declaration order. */
  private readonly dependencies = new Map<string, string[]>();
  /** Distinct dependents per service, in declaration order of the dependents. */
  private readonly dependents = new Map<string, string[]>();
  private readonly outgoing = new Map<string, DependencyEdge[]>();
  private ranking?: { order: string[]; rank: Map<string, number> };

  constructor(
    /** The project's name (DOT uses it as the graph's name). */
    readonly project: string,
    /** The nodes, in declaration order. */
    readonly services: readonly string[],
    /** Every edge between two services of the project, in declaration order. */
    readonly edges: readonly DependencyEdge[],
    /** `required: false` dependencies on services outside the project; they order nothing. */
    readonly missingOptional: readonly DependencyEdge[] = [],
  ) {
    for (const name of services) {
      this.dependencies.set(name, []);
      this.dependents.set(name, []);
      this.outgoing.set(name, []);
    }
    for (const e of edges) {
      const deps = this.dependencies.get(e.from);
      const users = this.dependents.get(e.to);
      if (!deps || !users || !this.outgoing.has(e.from)) {
        throw new GantryError('internal', `graph edge ${e.from} -> ${e.to} names a service outside the graph`, { path: e.path });
      }
      this.outgoing.get(e.from)!.push(e);
      if (!deps.includes(e.to)) deps.push(e.to);
      if (!users.includes(e.from)) users.push(e.from);
    }
  }

  has(name: string): boolean {
    return this.dependencies.has(name);
  }

  /** The edges from `name` to what it needs, with conditions, in declaration order. */
  edgesFrom(name: string): readonly DependencyEdge[] {
    return this.outgoing.get(this.serviceNamed(name))!;
  }

  /** What `name` needs directly. */
  dependenciesOf(name: string): string[] {
    return this.ranked(this.dependencies.get(this.serviceNamed(name))!);
  }

  /** What needs `name` directly. */
  dependentsOf(name: string): string[] {
    return this.ranked(this.dependents.get(this.serviceNamed(name))!);
  }

  /** `names` and everything they need, transitively: what `up web` starts unless --no-deps. */
  withDependencies(names: Iterable<string>): string[] {
    return this.ranked(this.closure(names, this.dependencies));
  }

  /** `names` and everything that needs them, transitively: what stopping them affects. */
  withDependents(names: Iterable<string>): string[] {
    return this.ranked(this.closure(names, this.dependents));
  }

  /** Every service, dependencies first; services free to go in either order go by name. */
  order(): string[] {
    return [...this.rankingOf().order];
  }

  /** Every service, dependents first: the order for stop and down. */
  reverseOrder(): string[] {
    return [...this.rankingOf().order].reverse();
  }

  /** Services nothing else needs (the top of the stack, e.g. the front end), in order(). */
  roots(): string[] {
    return this.rankingOf().order.filter((n) => this.dependents.get(n)!.length === 0);
  }

  /** Services that need nothing (the bottom of the stack, e.g. the database), in order(). */
  leaves(): string[] {
    return this.rankingOf().order.filter((n) => this.dependencies.get(n)!.length === 0);
  }

  /** Position of `name` in order(); lower goes first. */
  rankOf(name: string): number {
    return this.rankingOf().rank.get(this.serviceNamed(name))!;
  }

  /** Direct neighbours without copying, for traversal's inner loop. */
  adjacent(name: string, side: 'dependencies' | 'dependents'): readonly string[] {
    return (side === 'dependencies' ? this.dependencies : this.dependents).get(this.serviceNamed(name))!;
  }

  /** `name` itself, or a `reference` error with a "did you mean". */
  serviceNamed(name: string): string {
    if (this.dependencies.has(name)) return name;
    throw new GantryError('reference', `no such service: "${name}"`, {
      hint: suggestion(name, this.services, 'service'),
    });
  }

  private closure(names: Iterable<string>, next: ReadonlyMap<string, string[]>): Set<string> {
    const seen = new Set<string>();
    const work: string[] = [];
    for (const n of names) {
      if (!seen.has(this.serviceNamed(n))) {
        seen.add(n);
        work.push(n);
      }
    }
    while (work.length > 0) {
      for (const m of next.get(work.pop()!)!) {
        if (!seen.has(m)) {
          seen.add(m);
          work.push(m);
        }
      }
    }
    return seen;
  }

  private ranked(names: Iterable<string>): string[] {
    const { rank } = this.rankingOf();
    return [...names].sort((a, b) => rank.get(a)! - rank.get(b)!);
  }

  // Kahn's algorithm with the ready set ordered by name. toposort's
  // depth-first order is stable but does not break ties by name (it puts a
  // dependent right after its last dependency), so the order is computed here.
  private rankingOf(): { order: string[]; rank: Map<string, number> } {
    if (this.ranking) return this.ranking;
    const waiting = new Map<string, number>();
    const ready = new ReadyQueue<string>((a, b) => a < b);
    for (const [name, deps] of this.dependencies) {
      waiting.set(name, deps.length);
      if (deps.length === 0) ready.push(name);
    }
    const order: string[] = [];
    const rank = new Map<string, number>();
    for (let n = ready.pop(); n !== undefined; n = ready.pop()) {
      rank.set(n, order.length);
      order.push(n);
      for (const user of this.dependents.get(n)!) {
        const left = waiting.get(user)! - 1;
        waiting.set(user, left);
        if (left === 0) ready.push(user);
      }
    }
    if (order.length !== this.services.length) {
      // Only a graph built without buildGraph can get here.
      assertAcyclic(this.services, this.outgoing);
      throw new GantryError('internal', 'dependency order is incomplete');
    }
    this.ranking = { order, rank };
    return this.ranking;
  }
}

/**
 * The dependency graph of a loaded project. Throws `cycle` for a dependency
 * cycle and `reference` for a required reference to a service that is not in
 * the project (the loader reports both first; this keeps the graph honest for
 * projects built by other means).
 */
export function buildGraph(project: Project): ServiceGraph {
  const services = project.services;
  const names = Object.keys(services);
  const edges: DependencyEdge[] = [];
  const missingOptional: DependencyEdge[] = [];
  for (const name of names) {
    for (const e of edgesOf(services[name]!, name)) {
      if (Object.hasOwn(services, e.to)) edges.push(e);
      else if (e.via === 'depends_on' && !e.required) missingOptional.push(e);
      else throw missingService(e, project, names);
    }
  }
  assertAcyclic(names, reportingEdges(names, edges));
  return new ServiceGraph(project.name, names, edges, missingOptional);
}

/**
 * One edge per (from, to) pair for cycle reports. The loader adds an implicit
 * depends_on entry for every link and shared namespace, so when a pair has
 * another attribute too, that one is what the user wrote and is named.
 */
function reportingEdges(names: readonly string[], edges: readonly DependencyEdge[]): Map<string, DependencyEdge[]> {
  const pairs = new Map<string, Map<string, DependencyEdge>>();
  for (const n of names) pairs.set(n, new Map());
  for (const e of edges) {
    const byTarget = pairs.get(e.from)!;
    const seen = byTarget.get(e.to);
    if (!seen || (seen.via === 'depends_on' && e.via !== 'depends_on')) byTarget.set(e.to, e);
  }
  const out = new Map<string, DependencyEdge[]>();
  for (const [n, byTarget] of pairs) out.set(n, [...byTarget.values()]);
  return out;
}

function missingService(e: DependencyEdge, project: Project, names: string[]): GantryError {
  const disabled = project.disabledServices?.[e.to];
  if (disabled) {
    const profile = disabled.profiles?.[0];
    return new GantryError('reference', `service "${e.from}" needs "${e.to}" (${e.via}), which is not enabled`, {
      path: e.path,
      hint: profile
        ? `enable its profile with --profile ${profile} (or COMPOSE_PROFILES=${profile})${e.via === 'depends_on' ? ', or mark the dependency required: false' : ''}`
        : undefined,
    });
  }
  return new GantryError('reference', `service "${e.from}" refers to an undefined service "${e.to}" (${e.via})`, {
    path: e.path,
    hint: suggestion(e.to, names, 'service'),
  });
}
