// Reading a container's json-file log (and its rotated siblings) the way
// `GET /containers/{id}/logs` serves it: stdout/stderr selection, since,
// until, tail, timestamps, and follow, which keeps reading what the monitor
// appends (through rotations) until the container stops.

import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

export interface LogEntry {
  stream: 'stdout' | 'stderr';
  /** RFC 3339 with nanoseconds, as the monitor wrote it. */
  time: string;
  line: Buffer;
}

export interface LogQuery {
  stdout: boolean;
  stderr: boolean;
  /** Unix time in nanoseconds; 0n = from the start. Clients resume a follow one nanosecond after the last line they saw, so seconds as a float are not precise enough. */
  since: bigint;
  /** Unix time in nanoseconds; 0n = no end. */
  until: bigint;
  /** Last N lines; undefined = all. */
  tail?: number;
}

/** Files oldest first: log.N … log.1, log. */
export function logFiles(logPath: string): string[] {
  const rotated: string[] = [];
  for (let i = 1; existsSync(`${logPath}.${i}`); i++) rotated.unshift(`${logPath}.${i}`);
  return existsSync(logPath) ? [...rotated, logPath] : rotated;
}

export function parseLogLine(text: string): LogEntry | undefined {
  try {
    const j = JSON.parse(text) as { log?: string; stream?: string; time?: string };
    if (typeof j.log !== 'string') return undefined;
    return { stream: j.stream === 'stderr' ? 'stderr' : 'stdout', time: j.time ?? '', line: Buffer.from(j.log, 'utf8') };
  } catch {
    return undefined;
  }
}

/** An RFC 3339 time with up to nine fraction digits → unix nanoseconds. */
export function timeNanos(rfc3339: string): bigint {
  const m = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(rfc3339);
  const seconds = Math.floor(Date.parse(m ? m[1]! + m[3]! : rfc3339) / 1000);
  if (!Number.isFinite(seconds)) return 0n;
  return BigInt(seconds) * 1_000_000_000n + BigInt((m?.[2] ?? '').slice(0, 9).padEnd(9, '0') || '0');
}

/** docker's `since`/`until` query values: unix seconds with up to nine fraction digits, or RFC 3339. */
export function queryTimeNanos(value: string | null): bigint {
  if (!value) return 0n;
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(value);
  if (m) return BigInt(m[1]!) * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0') || '0');
  return timeNanos(value);
}

export function matches(entry: LogEntry, q: LogQuery): boolean {
  if (entry.stream === 'stdout' ? !q.stdout : !q.stderr) return false;
  if (!q.since && !q.until) return true;
  const t = timeNanos(entry.time);
  if (q.since && t < q.since) return false;
  if (q.until && t > q.until) return false;
  return true;
}

/** What is on disk now, filtered; and where reading stopped, for follow. */
export function readLog(logPath: string, q: LogQuery): { entries: LogEntry[]; position: LogPosition } {
  const entries: LogEntry[] = [];
  const files = logFiles(logPath);
  let position: LogPosition = { ino: 0, offset: 0, partial: '' };
  for (const file of files) {
    const chunk = readFrom(file, 0);
    for (const line of chunk.text.split('\n')) {
      if (!line) continue;
      const e = parseLogLine(line);
      if (e && matches(e, q)) entries.push(e);
    }
    if (file === logPath) position = { ino: chunk.ino, offset: chunk.size, partial: '' };
  }
  const tailed = q.tail !== undefined && q.tail >= 0 ? entries.slice(Math.max(0, entries.length - q.tail)) : entries;
  return { entries: tailed, position };
}

export interface LogPosition {
  ino: number;
  offset: number;
  /** A line the monitor has only half written yet. */
  partial: string;
}

/** New entries since `position`, following a rotation (the old file is now log.1). */
export function readMore(logPath: string, position: LogPosition, q: LogQuery): LogEntry[] {
  const texts: string[] = [];
  let current: { ino: number; size: number } | undefined;
  try {
    const st = statSync(logPath);
    current = { ino: st.ino, size: st.size };
  } catch {
    return [];
  }
  if (position.ino !== 0 && current.ino !== position.ino) {
    // Rotated: finish the file we were reading, then start the new one.
    const old = `${logPath}.1`;
    if (existsSync(old) && statSync(old).ino === position.ino) texts.push(readFrom(old, position.offset).text);
    position.offset = 0;
  }
  if (current.size < position.offset) position.offset = 0;
  const chunk = readFrom(logPath, position.offset);
  texts.push(chunk.text);
  position.ino = chunk.ino;
  position.offset = chunk.size;
  const text = position.partial + texts.join('');
  const lines = text.split('\n');
  position.partial = lines.pop() ?? '';
  const out: LogEntry[] = [];
  for (const line of lines) {
    const e = line ? parseLogLine(line) : undefined;
    if (e && matches(e, q)) out.push(e);
  }
  return out;
}

function readFrom(file: string, offset: number): { text: string; ino: number; size: number } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return { text: '', ino: 0, size: offset };
  }
  try {
    const st = statSync(file);
    const length = Math.max(0, st.size - offset);
    const buf = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const n = readSync(fd, buf, read, length - read, offset + read);
      if (n === 0) break;
      read += n;
    }
    return { text: buf.subarray(0, read).toString('utf8'), ino: st.ino, size: offset + read };
  } finally {
    closeSync(fd);
  }
}
