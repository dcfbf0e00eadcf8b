import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the monitor writes to <state-dir>/exit.json when the container's process ends. */
export interface ExitRecord {
  /** The process's exit status; 128 + signal when a signal killed it, as docker reports. */
  exitCode: number;
  signal: number | null;
  /** RFC 3339 with nanoseconds. */
  finishedAt: string;
  oomKilled: boolean;
  /** Set when the monitor itself failed after the container had started. */
  error?: string;
}

/** The exit record, or undefined while the container still runs (or never started). */
export function readExitRecord(stateDir: string): ExitRecord | undefined {
  let text: string;
  try {
    text = readFileSync(join(stateDir, 'exit.json'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  // The monitor writes it atomically, so a parse failure is corruption, not a race.
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`corrupt exit record in ${stateDir}: ${(err as Error).message}`);
  }
  return toExitRecord(parsed, stateDir);
}

function toExitRecord(value: unknown, stateDir: string): ExitRecord {
  const v = value as Record<string, unknown> | null;
  if (!v || typeof v.exitCode !== 'number' || typeof v.finishedAt !== 'string') {
    throw new Error(`corrupt exit record in ${stateDir}: expected exitCode and finishedAt`);
  }
  const record: ExitRecord = {
    exitCode: v.exitCode,
    signal: typeof v.signal === 'number' ? v.signal : null,
    finishedAt: v.finishedAt,
    oomKilled: v.oomKilled === true,
  };
  if (typeof v.error === 'string') record.error = v.error;
  return record;
}
