// `GET /containers/{id}/top` and `GET /containers/{id}/stats`: the host's
// `ps` filtered to the container's pids, and cgroup counters in docker's
// stats shape (cgroup v1 here, v2 where the host has it).

import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { promisify } from 'node:util';
import { badRequest } from '../api/api-error.js';

const run = promisify(execFile);

export async function top(pids: number[], psArgs = '-ef'): Promise<{ Titles: string[]; Processes: string[][] }> {
  const args = psArgs.split(/\s+/).filter(Boolean);
  let stdout: string;
  try {
    ({ stdout } = await run('ps', args));
  } catch (e) {
    throw badRequest(`ps: ${(e as { stderr?: string }).stderr?.trim() || (e as Error).message}`);
  }
  const lines = stdout.split('\n').filter(Boolean);
  const titles = lines[0]!.trim().split(/\s+/);
  const pidCol = titles.indexOf('PID');
  if (pidCol < 0) throw badRequest(`Couldn't find PID field in ps output`);
  const wanted = new Set(pids);
  const processes: string[][] = [];
  for (const line of lines.slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (!wanted.has(Number(fields[pidCol]))) continue;
    // The last column (the command) may hold spaces.
    processes.push([...fields.slice(0, titles.length - 1), fields.slice(titles.length - 1).join(' ')]);
  }
  return { Titles: titles, Processes: processes };
}

function readNumber(path: string): number | undefined {
  try {
    const n = Number(readFileSync(path, 'utf8').trim().split(/\s+/)[0]);
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One stats sample for the cgroup at `cgroupsPath` (as in the OCI spec), with
 * the container's network counters read from its namespace (`pid`'s
 * /proc/<pid>/net/dev) when it runs.
 */
export function statsSample(cgroupsPath: string, id: string, name: string, previous?: Record<string, unknown>, pid?: number): Record<string, unknown> {
  const v2 = existsSync('/sys/fs/cgroup/cgroup.controllers');
  const cg = (controller: string, file: string) => (v2 ? `/sys/fs/cgroup${cgroupsPath}/${file}` : `/sys/fs/cgroup/${controller}${cgroupsPath}/${file}`);
  const cpuTotal = v2 ? (readCpuStatV2(cg('', 'cpu.stat')) ?? 0) : (readNumber(cg('cpuacct', 'cpuacct.usage')) ?? 0);
  const memUsage = v2 ? readNumber(cg('', 'memory.current')) : readNumber(cg('memory', 'memory.usage_in_bytes'));
  const memLimitRaw = v2 ? readNumber(cg('', 'memory.max')) : readNumber(cg('memory', 'memory.limit_in_bytes'));
  const pids = v2 ? readNumber(cg('', 'pids.current')) : readNumber(cg('pids', 'pids.current'));
  const systemUsage = readSystemCpu();
  const memLimit = memLimitRaw && memLimitRaw < 2 ** 60 ? memLimitRaw : totalMemory();
  // docker's clients subtract the page cache they can drop: v1's total_inactive_file, v2's inactive_file.
  const memStat = readKeyValues(v2 ? cg('', 'memory.stat') : cg('memory', 'memory.stat'));
  const memStats: Record<string, number> = {};
  for (const key of ['cache', 'total_inactive_file', 'inactive_file', 'rss', 'anon', 'file']) if (memStat[key] !== undefined) memStats[key] = memStat[key]!;
  return {
    read: new Date().toISOString(),
    preread: (previous?.read as string) ?? '0001-01-01T00:00:00Z',
    id,
    name: `/${name}`,
    pids_stats: { current: pids ?? 0 },
    cpu_stats: { cpu_usage: { total_usage: cpuTotal, usage_in_kernelmode: 0, usage_in_usermode: 0 }, system_cpu_usage: systemUsage, online_cpus: cpus().length, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } },
    precpu_stats: (previous?.cpu_stats as object) ?? { cpu_usage: { total_usage: 0 }, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } },
    memory_stats: { usage: memUsage ?? 0, limit: memLimit, stats: memStats },
    blkio_stats: { io_service_bytes_recursive: v2 ? ioBytesV2(cg('', 'io.stat')) : ioBytesV1(cg('blkio', 'blkio.throttle.io_service_bytes_recursive')) },
    networks: pid ? networkCounters(pid) : {},
  };
}

/** `key value` lines (memory.stat) as numbers. */
function readKeyValues(path: string): Record<string, number | undefined> {
  const out: Record<string, number> = {};
  try {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const [k, v] = line.trim().split(/\s+/);
      if (k && v !== undefined && Number.isFinite(Number(v))) out[k] = Number(v);
    }
  } catch {
    // No such cgroup file: the container has stopped, or the controller is not mounted.
  }
  return out;
}

type IoEntry = { major: number; minor: number; op: string; value: number };

/** cgroup v2 io.stat: `8:0 rbytes=… wbytes=… rios=…`. */
function ioBytesV2(path: string): IoEntry[] {
  const out: IoEntry[] = [];
  try {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const [dev, ...fields] = line.trim().split(/\s+/);
      const [major, minor] = (dev ?? '').split(':').map(Number);
      if (major === undefined || minor === undefined || Number.isNaN(major)) continue;
      for (const f of fields) {
        const [k, v] = f.split('=');
        if (k === 'rbytes') out.push({ major, minor, op: 'read', value: Number(v) });
        if (k === 'wbytes') out.push({ major, minor, op: 'write', value: Number(v) });
      }
    }
  } catch {
    // As above.
  }
  return out;
}

/** cgroup v1 blkio.throttle.io_service_bytes_recursive: `8:0 Read 4096`. */
function ioBytesV1(path: string): IoEntry[] {
  const out: IoEntry[] = [];
  try {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const [dev, op, value] = line.trim().split(/\s+/);
      const [major, minor] = (dev ?? '').split(':').map(Number);
      if (!op || value === undefined || major === undefined || minor === undefined || Number.isNaN(major)) continue;
      out.push({ major, minor, op: op.toLowerCase(), value: Number(value) });
    }
  } catch {
    // As above.
  }
  return out;
}

/** The container's interfaces but lo, from its network namespace's /proc/<pid>/net/dev. */
export function networkCounters(pid: number): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/net/dev`, 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const iface = line.slice(0, colon).trim();
    if (iface === 'lo') continue;
    const n = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    out[iface] = { rx_bytes: n[0]!, rx_packets: n[1]!, rx_errors: n[2]!, rx_dropped: n[3]!, tx_bytes: n[8]!, tx_packets: n[9]!, tx_errors: n[10]!, tx_dropped: n[11]! };
  }
  return out;
}

function readCpuStatV2(path: string): number | undefined {
  try {
    const m = /usage_usec (\d+)/.exec(readFileSync(path, 'utf8'));
    return m ? Number(m[1]) * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function readSystemCpu(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const ticks = line.trim().split(/\s+/).slice(1, 8).map(Number).reduce((a, b) => a + b, 0);
    return ticks * 1e7; // USER_HZ is 100: ticks → ns
  } catch {
    return 0;
  }
}

function totalMemory(): number {
  try {
    const m = /MemTotal:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
