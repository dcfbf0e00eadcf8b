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

/** One stats sample for the cgroup at `cgroupsPath` (as in the OCI spec). */
export function statsSample(cgroupsPath: string, id: string, name: string, previous?: Record<string, unknown>): Record<string, unknown> {
  const v2 = existsSync('/sys/fs/cgroup/cgroup.controllers');
  const cg = (controller: string, file: string) => (v2 ? `/sys/fs/cgroup${cgroupsPath}/${file}` : `/sys/fs/cgroup/${controller}${cgroupsPath}/${file}`);
  const cpuTotal = v2 ? (readCpuStatV2(cg('', 'cpu.stat')) ?? 0) : (readNumber(cg('cpuacct', 'cpuacct.usage')) ?? 0);
  const memUsage = v2 ? readNumber(cg('', 'memory.current')) : readNumber(cg('memory', 'memory.usage_in_bytes'));
  const memLimitRaw = v2 ? readNumber(cg('', 'memory.max')) : readNumber(cg('memory', 'memory.limit_in_bytes'));
  const pids = v2 ? readNumber(cg('', 'pids.current')) : readNumber(cg('pids', 'pids.current'));
  const systemUsage = readSystemCpu();
  const memLimit = memLimitRaw && memLimitRaw < 2 ** 60 ? memLimitRaw : (readNumber('/proc/meminfo') ?? 0) * 0 + totalMemory();
  return {
    read: new Date().toISOString(),
    preread: (previous?.read as string) ?? '0001-01-01T00:00:00Z',
    id,
    name: `/${name}`,
    pids_stats: { current: pids ?? 0 },
    cpu_stats: { cpu_usage: { total_usage: cpuTotal, usage_in_kernelmode: 0, usage_in_usermode: 0 }, system_cpu_usage: systemUsage, online_cpus: cpus().length, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } },
    precpu_stats: (previous?.cpu_stats as object) ?? { cpu_usage: { total_usage: 0 }, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } },
    memory_stats: { usage: memUsage ?? 0, limit: memLimit, stats: {} },
    blkio_stats: {},
    networks: {},
  };
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
