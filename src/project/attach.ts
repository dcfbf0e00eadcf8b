// Attached `up`: run the plan, then stream the attached services' output as
// one stream of lines until every attached container has exited, or until the
// group is stopped: by the caller (Ctrl-C), or by a container's exit under
// --abort-on-container-exit / --abort-on-container-failure.
//
// Nothing printed before the stream opens is lost: logs are read from the
// engine time taken just before the plan ran, and exits are watched from that
// same moment.

import { GantryError } from '../common/errors.js';
import { Label } from '../common/labels.js';
import type { EngineClient } from '../engine-client/index.js';
import type { ServiceGraph } from '../graph/index.js';
import type { Plan } from '../plan/index.js';
import type { LoadOptions, Project } from '../spec/index.js';
import { engineClock, watchExits, type ContainerExitEvent } from './container-exits.js';
import { isOneoff, numberOf, serviceOf } from './containers.js';
import { ensureImages } from './ensure-images.js';
import { executePlan } from './executor.js';
import { LogReader, type LogSource, type ServiceLogLine } from './log-reader.js';
import { stopGroup } from './stop-group.js';
import { planned, type UpOptions } from './up.js';

export interface AttachedUpOptions extends UpOptions {
  /** Stream only these services (`--attach`, repeatable). */
  attach?: string[];
  /** Never stream these (`--no-attach`). */
  noAttach?: string[];
  /** Also stream the services pulled in as dependencies. */
  attachDependencies?: boolean;
  /** Stop the group as soon as an attached container exits. */
  abortOnContainerExit?: boolean;
  /** Stop the group as soon as an attached container exits with a non-zero code. */
  abortOnContainerFailure?: boolean;
  /** Answer with this service's exit code; implies abortOnContainerExit. */
  exitCodeFrom?: string;
  timestamps?: boolean;
  /** Told of each container before its first line. */
  onSource?: (source: LogSource) => void;
  /** Each line as it arrives; a returned promise holds the stream back (backpressure). */
  onLine?: (line: ServiceLogLine) => void | Promise<void>;
  /** Aborted: stop the group gracefully (first Ctrl-C). */
  stopSignal?: AbortSignal;
  /** Aborted: kill what has not stopped yet (second Ctrl-C). */
  killSignal?: AbortSignal;
  /** Told as each attached container exits (`web-1 exited with code 0`). */
  onExit?: (exit: ContainerExitEvent) => void;
  /** Told when the group starts stopping, and why. */
  onStopping?: (reason: StopReason) => void;
}

export type StopReason = { kind: 'interrupt' } | { kind: 'exit'; exit: ContainerExitEvent };

export interface AttachedUpResult {
  plan: Plan;
  text: string;
  executed: boolean;
  /** What `up` exits with: 130 when interrupted; the --exit-code-from service's or the aborting container's code; else 0. */
  exitCode: number;
  interrupted: boolean;
  /** The services whose output was streamed. */
  attached: string[];
}

export async function upAttached(load: LoadOptions, opts: AttachedUpOptions = {}): Promise<AttachedUpResult> {
  const { project, engine, graph, plan, text } = await planned(load, opts);
  const attached = attachedServices(project, graph, plan, opts);
  if (opts.exitCodeFrom !== undefined && !plan.services[opts.exitCodeFrom]) {
    throw new GantryError('usage', `--exit-code-from: service "${opts.exitCodeFrom}" is not part of this up`, { hint: `choose one of: ${Object.keys(plan.services).join(', ')}` });
  }
  if (opts.dryRun) return { plan, text, executed: false, exitCode: 0, interrupted: false, attached };
  return new AttachedRun(engine, project, graph, plan, attached, opts).run(text);
}

/** `--attach` if given; else the named services (with their dependencies under --attach-dependencies), less `attach: false` ones and `--no-attach`. */
export function attachedServices(project: Project, graph: ServiceGraph, plan: Plan, opts: AttachedUpOptions): string[] {
  const inPlan = Object.keys(plan.services);
  for (const s of [...(opts.attach ?? []), ...(opts.noAttach ?? [])]) {
    if (!project.services[s]) throw new GantryError('usage', `no such service: "${s}"`, { hint: `the services are: ${Object.keys(project.services).join(', ')}` });
  }
  let chosen: string[];
  if (opts.attach?.length) chosen = opts.attach;
  else {
    const named = opts.services?.length && !opts.attachDependencies ? new Set(opts.services) : undefined;
    chosen = inPlan.filter((s) => (named ? named.has(s) : true) && project.services[s]?.attach !== false);
  }
  const skip = new Set(opts.noAttach ?? []);
  const order = graph.order();
  return [...new Set(chosen)].filter((s) => !skip.has(s)).sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

class AttachedRun {
  private readonly halt = new AbortController();
  private stopping: Promise<void> | undefined;
  private reason: StopReason | undefined;
  private readonly exits: ContainerExitEvent[] = [];
  private readonly notices: ExitNotices;
  /** Containers the plan itself stops (recreate, scale down): their exits are not the app's. */
  private readonly replaced: Set<string>;

  constructor(
    private readonly engine: EngineClient,
    private readonly project: Project,
    private readonly graph: ServiceGraph,
    private readonly plan: Plan,
    private readonly attached: string[],
    private readonly opts: AttachedUpOptions,
  ) {
    this.notices = new ExitNotices(project.name, opts.onExit);
    const stopped = [...Object.values(plan.services).flat().filter((a) => a.kind === 'recreate-container' || a.kind === 'remove-container'), ...plan.orphans];
    this.replaced = new Set(stopped.map((a) => a.containerId).filter((id): id is string => Boolean(id)));
  }

  async run(text: string): Promise<AttachedUpResult> {
    const opts = this.opts;
    const since = await engineClock(this.engine);
    const attachedSet = new Set(this.attached);
    const abortOnExit = Boolean(opts.abortOnContainerExit || opts.exitCodeFrom !== undefined);
    const watch = watchExits(this.engine, this.project.name, since, (e) => {
      if (this.replaced.has(e.id) || !attachedSet.has(e.service)) return;
      this.exits.push(e);
      this.notices.exited(e);
      if (abortOnExit || (opts.abortOnContainerFailure && e.exitCode !== 0)) this.stop({ kind: 'exit', exit: e });
    });
    watch.done.catch(() => {});
    const onInterrupt = () => this.stop({ kind: 'interrupt' });
    if (opts.stopSignal?.aborted) onInterrupt();
    opts.stopSignal?.addEventListener('abort', onInterrupt, { once: true });

    try {
      const running = opts.signal ? AbortSignal.any([opts.signal, this.halt.signal]) : this.halt.signal;
      try {
        await ensureImages(this.engine, this.project, this.plan, { pull: opts.pull, build: opts.build === true ? undefined : opts.build, signal: running, onProgress: opts.onProgress });
        await executePlan(this.engine, this.project, this.graph, this.plan, { parallel: opts.parallel, noStart: opts.noStart, timeout: opts.timeout, signal: running, onProgress: opts.onProgress });
      } catch (e) {
        // Interrupted mid-plan: what did start is stopped below; anything else is a real failure.
        if (!this.halt.signal.aborted) throw e;
      }
      if (!opts.noStart && !this.halt.signal.aborted) await this.stream(since);
      if (this.halt.signal.aborted) await this.stopping;
      return { plan: this.plan, text, executed: true, exitCode: await this.exitCode(), interrupted: this.reason?.kind === 'interrupt', attached: this.attached };
    } finally {
      opts.stopSignal?.removeEventListener('abort', onInterrupt);
      watch.close();
    }
  }

  private async stream(since: number): Promise<void> {
    const wanted = new Set(this.attached);
    const list = await this.engine.containers.list({ all: true, filters: { label: [`${Label.project}=${this.project.name}`, `${Label.oneoff}=False`] } });
    const initial = list.filter((c) => wanted.has(serviceOf(c))).sort((a, b) => serviceOf(a).localeCompare(serviceOf(b)) || numberOf(a) - numberOf(b));
    const reader = new LogReader(this.engine, this.project.name, {
      follow: true,
      since: since.toFixed(3),
      timestamps: Boolean(this.opts.timestamps),
      wanted: (labels) => !isOneoff({ Labels: labels }) && wanted.has(labels[Label.service] ?? ''),
      onSource: this.opts.onSource,
      signal: this.opts.signal,
    });
    const lines = reader.read(initial);
    // Once the group has stopped, its streams end on their own; this bounds the wait for stragglers.
    let drain: NodeJS.Timeout | undefined;
    const onHalt = () => void this.stopping?.finally(() => (drain = setTimeout(() => void lines.return(undefined), 2000)));
    this.halt.signal.addEventListener('abort', onHalt, { once: true });
    try {
      for await (const l of lines) {
        this.notices.line(l.source);
        const wait = this.opts.onLine?.(l);
        if (wait) await wait;
      }
    } finally {
      this.notices.flush();
      this.halt.signal.removeEventListener('abort', onHalt);
      clearTimeout(drain);
    }
  }

  private stop(reason: StopReason): void {
    if (this.stopping) return;
    this.reason = reason;
    this.opts.onStopping?.(reason);
    this.halt.abort(new GantryError('engine', 'stopping'));
    this.stopping = stopGroup(this.engine, this.project.name, this.graph, {
      services: Object.keys(this.plan.services),
      timeout: this.opts.timeout,
      kill: this.opts.killSignal,
      parallel: this.opts.parallel,
      onProgress: this.opts.onProgress,
    });
  }

  private async exitCode(): Promise<number> {
    if (this.reason?.kind === 'interrupt') return 130;
    const from = this.opts.exitCodeFrom;
    if (from !== undefined) {
      const seen = this.exits.find((e) => e.service === from);
      if (seen) return seen.exitCode;
      const list = await this.engine.containers.list({ all: true, filters: { label: [`${Label.project}=${this.project.name}`, `${Label.service}=${from}`, `${Label.oneoff}=False`] } });
      const first = list.sort((a, b) => numberOf(a) - numberOf(b))[0];
      const details = first ? await this.engine.containers.inspect(first.Id) : undefined;
      return details?.State.ExitCode ?? 0;
    }
    if (this.reason?.kind === 'exit') return this.reason.exit.exitCode;
    return 0;
  }
}

/**
 * `web-1 exited with code 0` belongs after web-1's last line, but the engine
 * reports the exit before the log stream has delivered everything. A notice
 * waits until its container's lines have been quiet for a moment (or the
 * stream has ended).
 */
class ExitNotices {
  private readonly waiting = new Map<string, { exit: ContainerExitEvent; timer: NodeJS.Timeout }>();

  constructor(
    private readonly project: string,
    private readonly tell: ((e: ContainerExitEvent) => void) | undefined,
    private readonly quietMs = 300,
  ) {}

  exited(exit: ContainerExitEvent): void {
    if (!this.tell) return;
    const source = exit.name.startsWith(`${this.project}-`) ? exit.name.slice(this.project.length + 1) : exit.name;
    this.schedule(source, exit);
  }

  line(source: string): void {
    const w = this.waiting.get(source);
    if (w) this.schedule(source, w.exit);
  }

  flush(): void {
    for (const [source, w] of this.waiting) {
      clearTimeout(w.timer);
      this.waiting.delete(source);
      this.tell?.(w.exit);
    }
  }

  private schedule(source: string, exit: ContainerExitEvent): void {
    clearTimeout(this.waiting.get(source)?.timer);
    const timer = setTimeout(() => {
      this.waiting.delete(source);
      this.tell?.(exit);
    }, this.quietMs);
    this.waiting.set(source, { exit, timer });
  }
}
