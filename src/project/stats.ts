// `compose stats`: CPU, memory, network, block I/O and pids of the project's
// containers, worked out from the engine's stats samples with the formulas
// the docker CLI uses, once (`--no-stream`) or as a sample a second per
// container until the caller stops.

import { Label } from '../common/labels.js';
import type { ContainerStats, ContainerSummary, EngineClient } from '../engine-client/index.js';
import type { LoadOptions } from '../spec/index.js';
import { serviceOf } from './containers.js';
import { nameOf, type EngineOptions } from './session.js';
import { openTarget } from './target.js';

export interface StatsOptions extends EngineOptions {
  services?: string[];
  /** Also stopped containers (their counters are zero), as `-a`. */
  all?: boolean;
}

/** One container's figures, in the words and units of `docker stats --format json`. */
export interface StatsRow {
  ID: string;
  Name: string;
  Service: string;
  /** `12.34%`. */
  CPUPerc: string;
  /** `1.5MiB / 7.7GiB`. */
  MemUsage: string;
  MemPerc: string;
  /** `1.2kB / 648B`. */
  NetIO: string;
  BlockIO: string;
  PIDs: string;
}

export interface StatsFigures {
  cpuPercent: number;
  memoryUsed: number;
  memoryLimit: number;
  memoryPercent: number;
  netRx: number;
  netTx: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
}

/** One sample of every chosen container (docker stats --no-stream), sorted by name. */
export async function stats(load: LoadOptions, opts: StatsOptions = {}): Promise<StatsRow[]> {
  const { engine, containers } = await chosen(load, opts);
  const rows = await Promise.all(
    containers.map(async (c) => {
      if (c.State !== 'running') return rowOf(c, undefined);
      const sample = await engine.containers.stats(c.Id, { oneShot: false, signal: opts.signal }).catch(() => undefined);
      return rowOf(c, sample);
    }),
  );
  return rows.sort(byName);
}

/**
 * Samples every chosen container once a second; `onRows` gets the whole
 * table each time one changes, until the signal aborts (the stream ends
 * quietly then) or every container has gone.
 */
export async function followStats(load: LoadOptions, opts: StatsOptions & { onRows: (rows: StatsRow[]) => void }): Promise<void> {
  const { engine, containers } = await chosen(load, opts);
  const latest = new Map<string, StatsRow>(containers.map((c) => [c.Id, rowOf(c, undefined)]));
  const show = () => opts.onRows([...latest.values()].sort(byName));
  show();
  await Promise.all(
    containers
      .filter((c) => c.State === 'running')
      .map(async (c) => {
        try {
          for await (const sample of engine.containers.statsStream(c.Id, { signal: opts.signal })) {
            latest.set(c.Id, rowOf(c, sample));
            show();
          }
        } catch (e) {
          if (!opts.signal?.aborted) throw e;
        }
      }),
  );
}

async function chosen(load: LoadOptions, opts: StatsOptions): Promise<{ engine: EngineClient; containers: ContainerSummary[] }> {
  const named = opts.services ?? [];
  const { name, engine } = await openTarget(load, opts, named);
  const label = [`${Label.project}=${name}`, `${Label.oneoff}=False`];
  if (named.length === 1) label.push(`${Label.service}=${named[0]}`);
  const wanted = new Set(named);
  const list = await engine.containers.list({ all: opts.all, filters: { label }, signal: opts.signal });
  return { engine, containers: list.filter((c) => wanted.size === 0 || wanted.has(serviceOf(c))) };
}

function byName(a: StatsRow, b: StatsRow): number {
  return a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0;
}

function rowOf(c: ContainerSummary, sample: ContainerStats | undefined): StatsRow {
  const f = sample ? figures(sample) : undefined;
  return {
    ID: c.Id.slice(0, 12),
    Name: nameOf(c),
    Service: serviceOf(c),
    CPUPerc: f ? `${f.cpuPercent.toFixed(2)}%` : '0.00%',
    MemUsage: f ? `${binarySize(f.memoryUsed)} / ${binarySize(f.memoryLimit)}` : '0B / 0B',
    MemPerc: f ? `${f.memoryPercent.toFixed(2)}%` : '0.00%',
    NetIO: f ? `${decimalSize(f.netRx)} / ${decimalSize(f.netTx)}` : '0B / 0B',
    BlockIO: f ? `${decimalSize(f.blockRead)} / ${decimalSize(f.blockWrite)}` : '0B / 0B',
    PIDs: String(f?.pids ?? 0),
  };
}

/** docker's arithmetic: CPU from the deltas to precpu, memory less the inactive page cache. */
export function figures(s: ContainerStats): StatsFigures {
  const cpu = s.cpu_stats as { cpu_usage?: { total_usage?: number; percpu_usage?: number[] }; system_cpu_usage?: number; online_cpus?: number };
  const pre = s.precpu_stats as { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  const cpuDelta = (cpu.cpu_usage?.total_usage ?? 0) - (pre.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu.system_cpu_usage ?? 0) - (pre.system_cpu_usage ?? 0);
  const online = cpu.online_cpus || cpu.cpu_usage?.percpu_usage?.length || 1;
  const hasPrevious = (pre.system_cpu_usage ?? 0) > 0;
  const cpuPercent = hasPrevious && systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * online * 100 : 0;

  const mem = s.memory_stats as { usage?: number; limit?: number; stats?: Record<string, number> };
  const st = mem.stats ?? {};
  // v1: total_inactive_file, v2: inactive_file (docker CLI ≥ 20.10).
  const cache = st.total_inactive_file !== undefined && st.total_inactive_file < (mem.usage ?? 0) ? st.total_inactive_file : st.inactive_file !== undefined && st.inactive_file < (mem.usage ?? 0) ? st.inactive_file : 0;
  const memoryUsed = Math.max(0, (mem.usage ?? 0) - cache);
  const memoryLimit = mem.limit ?? 0;

  let netRx = 0;
  let netTx = 0;
  for (const n of Object.values(s.networks ?? {})) {
    netRx += n.rx_bytes ?? 0;
    netTx += n.tx_bytes ?? 0;
  }
  let blockRead = 0;
  let blockWrite = 0;
  for (const e of s.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = e.op.toLowerCase();
    if (op === 'read') blockRead += e.value;
    else if (op === 'write') blockWrite += e.value;
  }
  return {
    cpuPercent,
    memoryUsed,
    memoryLimit,
    memoryPercent: memoryLimit > 0 ? (memoryUsed / memoryLimit) * 100 : 0,
    netRx,
    netTx,
    blockRead,
    blockWrite,
    pids: s.pids_stats?.current ?? 0,
  };
}

/** `1.5MiB`: units of 1024, as docker's memory column (go-units BytesSize). */
export function binarySize(bytes: number): string {
  return scaled(bytes, 1024, ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']);
}

/** `1.2kB`: units of 1000, three significant digits, as docker's I/O columns (go-units HumanSizeWithPrecision). */
export function decimalSize(bytes: number): string {
  return scaled(bytes, 1000, ['B', 'kB', 'MB', 'GB', 'TB', 'PB']);
}

function scaled(value: number, base: number, units: string[]): string {
  let i = 0;
  while (value >= base && i < units.length - 1) {
    value /= base;
    i++;
  }
  return `${Number(value.toPrecision(base === 1024 ? 4 : 3))}${units[i]}`;
}
