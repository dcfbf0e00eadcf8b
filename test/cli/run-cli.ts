// Runs the compose CLI as a user would, in a child process: the built one
// when the tests run from dist/, the TypeScript sources through tsx otherwise.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const fromSources = import.meta.url.endsWith('.ts');
const root = resolve(here, fromSources ? '../..' : '../../..');
const entry = fromSources ? ['--import', import.meta.resolve('tsx'), resolve(root, 'src/cli/main.ts')] : [resolve(root, 'dist/src/cli/main.js')];

if (!existsSync(entry[entry.length - 1]!)) throw new Error(`the CLI is missing at ${entry[entry.length - 1]}`);

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  input?: string | Buffer;
  env?: Record<string, string>;
  cwd?: string;
}

export function runCli(args: string[], opts: CliOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [...entry, ...args], {
    input: opts.input ?? '',
    encoding: 'utf8',
    cwd: opts.cwd ?? root,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The CLI running in the background (for follow modes). */
export function startCli(args: string[], opts: CliOptions = {}): ChildProcess {
  return spawn(process.execPath, [...entry, ...args], { cwd: opts.cwd ?? root, env: { ...process.env, NO_COLOR: '1', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs the CLI with the raw bytes of stdout (for tar streams). */
export function runCliBytes(args: string[], opts: CliOptions = {}): { status: number | null; stdout: Buffer; stderr: string } {
  const r = spawnSync(process.execPath, [...entry, ...args], { input: opts.input ?? '', cwd: opts.cwd ?? root, env: { ...process.env, NO_COLOR: '1', ...opts.env }, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}
