// Test fixtures for real-runtime tests: OCI bundles whose rootfs is the host's
// static busybox, a private runtime root, and the waits the tests share.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectRuntime } from '../../../src/engine/containers/runtime/detect-runtime.js';
import { OciRuntime } from '../../../src/engine/containers/runtime/oci-runtime.js';
import { connectMonitor, type MonitorConnection } from '../../../src/engine/containers/monitor/monitor-connection.js';
import { readExitRecord, type ExitRecord } from '../../../src/engine/containers/monitor/exit-record.js';

const BUSYBOX = '/bin/busybox';

/** Fails loudly when the machine cannot run containers, instead of skipping. */
export async function requireRuntime(): Promise<OciRuntime & { scratch: string }> {
  assert.equal(process.getuid?.(), 0, 'these tests run real containers with runc and must run as root');
  const info = await detectRuntime('runc');
  const scratch = mkdtempSync(join(tmpdir(), 'gantry-mon-'));
  const runtime = new OciRuntime(info.path, join(scratch, 'runtime'));
  return Object.assign(runtime, { scratch });
}

let seq = 0;
export function uniqueId(prefix: string): string {
  return `gantry-test-${prefix}-${process.pid}-${++seq}`;
}

export interface BundleOptions {
  args: string[];
  terminal?: boolean;
  /** Edits to the generated config.json before it is written. */
  edit?: (config: Record<string, any>) => void;
}

/** A bundle under `dir`: busybox rootfs (every applet linked) and a config from `runc spec`. */
export function makeBundle(runtimePath: string, dir: string, opts: BundleOptions): string {
  const bin = join(dir, 'rootfs', 'bin');
  mkdirSync(bin, { recursive: true });
  for (const d of ['proc', 'dev', 'sys', 'tmp', 'etc']) mkdirSync(join(dir, 'rootfs', d), { recursive: true });
  copyFileSync(BUSYBOX, join(bin, 'busybox'));
  const applets = execFileSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const applet of applets) if (applet !== 'busybox') symlinkSync('busybox', join(bin, applet));
  execFileSync(runtimePath, ['spec', '--bundle', dir]);
  const configPath = join(dir, 'config.json');
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, any>;
  config.process.args = opts.args;
  config.process.terminal = opts.terminal ?? false;
  config.process.env = ['PATH=/bin', 'TERM=xterm'];
  config.root.readonly = false;
  opts.edit?.(config);
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  return dir;
}

/** Waits for a monitor's exit record (it appears just before the monitor closes its clients). */
export async function waitExit(stateDir: string, timeoutMs = 15000): Promise<ExitRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = readExitRecord(stateDir);
    if (record) return record;
    assert.ok(Date.now() < deadline, `no exit.json in ${stateDir} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface Collected {
  connection: MonitorConnection;
  stdout: () => string;
  stderr: () => string;
  closed: Promise<void>;
}

/** Attaches and keeps every output frame, by stream. */
export async function attach(stateDir: string): Promise<Collected> {
  const connection = await connectMonitor(stateDir);
  const chunks: Record<1 | 2, Buffer[]> = { 1: [], 2: [] };
  connection.on('output', (stream, chunk) => chunks[stream].push(Buffer.from(chunk)));
  const closed = new Promise<void>((resolve) => connection.once('close', resolve));
  return {
    connection,
    stdout: () => Buffer.concat(chunks[1]).toString('utf8'),
    stderr: () => Buffer.concat(chunks[2]).toString('utf8'),
    closed,
  };
}

/** Polls until `check` holds, so tests wait for facts, not for guessed delays. */
export async function until(
  what: string,
  check: () => boolean,
  timeoutMs = 10000,
  refresh?: () => Promise<void>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await refresh?.();
    if (check()) return;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function cleanup(runtime: OciRuntime & { scratch: string }, ids: string[]): Promise<void> {
  for (const id of ids) await runtime.delete(id, { force: true }).catch(() => undefined);
  rmSync(runtime.scratch, { recursive: true, force: true });
}

export interface PreparedContainer {
  id: string;
  dir: string;
  stateDir: string;
  bundle: string;
  logFile: string;
}

/** A fresh id, bundle and state directory under the runtime's scratch folder; the id joins `ids` for cleanup. */
export function prepareContainer(
  runtime: OciRuntime & { scratch: string },
  ids: string[],
  name: string,
  opts: BundleOptions,
): PreparedContainer {
  const id = uniqueId(name);
  ids.push(id);
  const dir = join(runtime.scratch, id);
  const stateDir = join(dir, 'state');
  mkdirSync(stateDir, { recursive: true });
  const bundle = makeBundle(runtime.path, join(dir, 'bundle'), opts);
  return { id, dir, stateDir, bundle, logFile: join(dir, 'container.log') };
}
