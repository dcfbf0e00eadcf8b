// Reads the logs of a set of containers into one stream of lines, and, when
// following, keeps up with the project as it changes: a container that
// restarts, is recreated, or is added by a scale-up gets a new log stream when
// the engine reports its `start`.
//
// A container's log stream ends when it stops, so a restart always means a
// new stream. That stream starts one nanosecond after the last line already
// shown (the engine timestamps every line), so no line is shown twice and none
// is lost. Following ends when no stream is open, no created container is
// still waiting to start, and the engine confirms that none of the followed
// services has a running container; a short settling delay rides over the gap
// between a container's stop and its restart.

import { Label } from '../common/labels.js';
import { isEngineError, isNotFound, type ContainerSummary, type EngineClient, type EngineEvent } from '../engine-client/index.js';
import { isOneoff, serviceOf, shortName, stripProject } from './containers.js';
import { compareStamps, justAfter } from './log-time.js';
import { MergeQueue } from './merge-queue.js';

export interface ServiceLogLine {
  /** `web-1`: the container's name without the project, as docker compose prefixes lines. */
  source: string;
  service: string;
  stream: 'stdout' | 'stderr';
  line: string;
  /** RFC 3339 with nanoseconds, when timestamps were asked for. */
  timestamp?: string;
}

/** A container whose lines are in the stream, announced before its first line. */
export interface LogSource {
  source: string;
  service: string;
  containerId: string;
}

export interface LogReadOptions {
  follow: boolean;
  tail?: number;
  /** Engine times (unix seconds), already converted. */
  since?: string;
  until?: string;
  timestamps: boolean;
  /** Which containers a follow picks up as they start. */
  wanted: (labels: Record<string, string>) => boolean;
  onSource?: (source: LogSource) => void;
  signal?: AbortSignal;
  /** How long to wait, once every stream has ended, before deciding that nothing restarts. */
  settleMs?: number;
}

interface Tracked {
  id: string;
  source: string;
  service: string;
  /** Timestamp of the last line shown. */
  last?: string;
  /** True for a container found at the start; false for one that started later. */
  initial: boolean;
  /** How many streams were opened for it. */
  runs: number;
  streaming: boolean;
  /** It started again while its previous stream was still open. */
  again: boolean;
}

export class LogReader {
  private readonly queue = new MergeQueue<ServiceLogLine>();
  private readonly stop = new AbortController();
  private readonly signal: AbortSignal;
  private readonly tracked = new Map<string, Tracked>();
  /** Containers created but not started yet: a recreate or scale-up in progress. */
  private readonly pendingStart = new Set<string>();
  private open = 0;
  private settleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly engine: EngineClient,
    private readonly project: string,
    private readonly opts: LogReadOptions,
  ) {
    this.signal = opts.signal ? AbortSignal.any([opts.signal, this.stop.signal]) : this.stop.signal;
    // An abort ends the lines at once: the streams end quietly, so nothing else would.
    this.signal.addEventListener('abort', () => this.finish(), { once: true });
  }

  async *read(initial: ContainerSummary[]): AsyncGenerator<ServiceLogLine> {
    try {
      if (this.opts.follow) await this.watchEvents();
      for (const c of initial) {
        const t: Tracked = { id: c.Id, source: shortName(c), service: serviceOf(c), initial: true, runs: 0, streaming: false, again: false };
        this.tracked.set(c.Id, t);
        this.announce(t);
        this.startStream(t);
      }
      if (this.open === 0) this.streamsEnded();
      yield* this.queue;
    } finally {
      this.finish();
    }
  }

  /** Subscribes before the initial list is used, replaying from just before now, so no start falls in between. */
  private async watchEvents(): Promise<void> {
    const since = await this.engineNow();
    const events = this.engine.system.events({
      since,
      filters: { type: ['container'], label: [`${Label.project}=${this.project}`], event: ['create', 'start', 'destroy'] },
      signal: this.signal,
    });
    const it = events[Symbol.asyncIterator]();
    // The first next() sends the request; its answer comes with the first event.
    const first = it.next();
    void (async () => {
      try {
        for (let r = await first; !r.done; r = await it.next()) this.onEvent(r.value);
      } catch (e) {
        if (!this.signal.aborted) this.queue.fail(e);
      }
    })();
  }

  /** The engine's clock, a second back; the client's when the engine does not say. */
  private async engineNow(): Promise<number> {
    try {
      const info = await this.engine.system.info();
      const t = typeof info.SystemTime === 'string' ? Date.parse(info.SystemTime) : NaN;
      if (Number.isFinite(t)) return (t - 1000) / 1000;
    } catch {
      // Fall through to the local clock.
    }
    return (Date.now() - 2000) / 1000;
  }

  private onEvent(e: EngineEvent): void {
    const attrs = e.Actor?.Attributes ?? {};
    if (isOneoff({ Labels: attrs }) || !this.opts.wanted(attrs)) return;
    const id = e.Actor.ID;
    switch (e.Action) {
      case 'create':
        this.pendingStart.add(id);
        break;
      case 'destroy':
        this.pendingStart.delete(id);
        if (this.open === 0) this.streamsEnded();
        break;
      case 'start':
        this.pendingStart.delete(id);
        this.started(id, attrs.name ?? id.slice(0, 12), attrs);
        break;
    }
  }

  private started(id: string, name: string, labels: Record<string, string>): void {
    let t = this.tracked.get(id);
    if (!t) {
      t = { id, source: stripProject(name, labels), service: labels[Label.service] ?? '', initial: false, runs: 0, streaming: false, again: false };
      this.tracked.set(id, t);
      this.announce(t);
    }
    if (t.streaming) t.again = true;
    else this.startStream(t);
  }

  private announce(t: Tracked): void {
    this.opts.onSource?.({ source: t.source, service: t.service, containerId: t.id });
  }

  private startStream(t: Tracked): void {
    t.streaming = true;
    this.open++;
    clearTimeout(this.settleTimer);
    void this.pump(t).finally(() => {
      t.streaming = false;
      this.open--;
      if (this.signal.aborted) return;
      if (t.again) {
        t.again = false;
        this.startStream(t);
      } else if (this.open === 0) this.streamsEnded();
    });
  }

  private async pump(t: Tracked): Promise<void> {
    const follow = this.opts.follow;
    const run = t.runs++;
    try {
      let since = this.opts.since;
      let tail = run === 0 && t.initial ? this.opts.tail : undefined;
      let tty: boolean | undefined;
      if (follow) {
        const details = await this.engine.containers.inspect(t.id, { signal: this.signal });
        if (!details) return;
        tty = Boolean(details.Config?.Tty);
        if (t.last) since = justAfter(t.last) ?? since;
        else if (run > 0 && this.opts.tail !== undefined && t.initial) {
          // Its earlier lines were cut by --tail and none was shown: only this run's.
          since = startOf(details.State?.StartedAt) ?? since;
        }
      }
      const lines = this.engine.containers.logs(t.id, {
        follow,
        tail,
        since,
        until: this.opts.until,
        // Following needs every line's time, to resume right after it.
        timestamps: follow || this.opts.timestamps,
        tty,
        signal: this.signal,
      });
      const keepStamp = this.opts.timestamps;
      for await (const l of lines) {
        // stdout and stderr are stamped apart and may interleave slightly out of order: keep the latest.
        if (l.timestamp !== undefined && (t.last === undefined || compareStamps(l.timestamp, t.last) > 0)) t.last = l.timestamp;
        const wait = this.queue.push({ source: t.source, service: t.service, stream: l.stream, line: l.line, timestamp: keepStamp ? l.timestamp : undefined });
        if (wait) await wait;
      }
    } catch (e) {
      // A container removed while we read it (or being removed: a recreate) has simply ended.
      if (!this.signal.aborted && !isNotFound(e) && !beingRemoved(e)) this.queue.fail(e);
    }
  }

  /** Every stream has ended: without follow that is the end; with it, check that nothing is still coming. */
  private streamsEnded(): void {
    if (!this.opts.follow) return this.queue.close();
    clearTimeout(this.settleTimer);
    if (this.pendingStart.size > 0) return;
    this.settleTimer = setTimeout(() => void this.confirmEnd(), this.opts.settleMs ?? 500);
  }

  private async confirmEnd(): Promise<void> {
    if (this.open > 0 || this.pendingStart.size > 0 || this.signal.aborted) return;
    let running: ContainerSummary[];
    try {
      running = await this.engine.containers.list({ filters: { label: [`${Label.project}=${this.project}`, `${Label.oneoff}=False`] }, signal: this.signal });
    } catch (e) {
      if (!this.signal.aborted) this.queue.fail(e);
      return;
    }
    if (this.open > 0 || this.pendingStart.size > 0) return;
    const still = running.filter((c) => this.opts.wanted(c.Labels) && (c.State === 'running' || c.State === 'restarting' || c.State === 'paused'));
    // A running container without a stream means a start we did not see: read it now.
    for (const c of still) if (c.State === 'running') this.started(c.Id, shortName(c), c.Labels);
    if (still.length === 0) this.queue.close();
    else if (this.open === 0) this.streamsEnded();
  }

  private finish(): void {
    clearTimeout(this.settleTimer);
    this.stop.abort();
    this.queue.close();
  }
}

/** A run's start (`State.StartedAt`) as an engine time; undefined for docker's zero time. */
function startOf(stamp: string | undefined): string | undefined {
  if (!stamp || stamp.startsWith('0001-')) return undefined;
  const m = /^(.*?)(?:\.(\d{1,9}))?([zZ]|[+-]\d\d:\d\d)$/.exec(stamp);
  if (!m) return undefined;
  const seconds = Math.floor(Date.parse(`${m[1]}${m[3]}`) / 1000);
  return Number.isFinite(seconds) ? `${seconds}.${(m[2] ?? '').padEnd(9, '0')}` : undefined;
}

/** The engine's 409 for a container that is dead or marked for removal. */
function beingRemoved(e: unknown): boolean {
  return isEngineError(e) && e.statusCode === 409 && /dead or marked for removal/.test(e.message);
}
