// gantry's own engine, as the client sees it: where its socket is, and how to
// start it in the background when a command needs it and it is not running.
// The client never imports the engine; it runs the engine's entry point as a
// separate process and waits for its `/_ping`.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { EngineError } from './engine-error.js';

export const EMBEDDED_SOCKET = '/run/gantry/engine.sock';
export const EMBEDDED_HOST = `unix://${EMBEDDED_SOCKET}`;
export const EMBEDDED_DATA_ROOT = '/var/lib/gantry';

export interface EmbeddedEngineOptions {
  socketPath?: string;
  dataRoot?: string;
  runtime?: string;
  /** How long to wait for the engine's first answer. */
  timeoutMs?: number;
}

export function engineEntryPoint(): string {
  return fileURLToPath(new URL('../engine/main.js', import.meta.url));
}

/** True when something answers `/_ping` on the socket. */
export function pingSocket(socketPath: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

/**
 * Starts the engine in the background unless it answers already. Resolves
 * with its pid when it was started here, undefined when it was running.
 */
export async function ensureEmbeddedEngine(opts: EmbeddedEngineOptions = {}): Promise<number | undefined> {
  const socketPath = opts.socketPath ?? EMBEDDED_SOCKET;
  if (await pingSocket(socketPath)) return undefined;
  const entry = engineEntryPoint();
  if (!existsSync(entry)) throw new EngineError(`the embedded engine is not built (${entry} is missing)`, { hint: 'run npm run build in the gantry package' });
  const args = [entry, '--socket', socketPath];
  if (opts.dataRoot) args.push('--data-root', opts.dataRoot);
  if (opts.runtime) args.push('--runtime', opts.runtime);
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  try {
    while (Date.now() < deadline) {
      if (exited !== undefined) {
        throw new EngineError(stderr.trim() || `the gantry engine exited with code ${exited} while starting`, {
          hint: `see its log: ${opts.dataRoot ?? EMBEDDED_DATA_ROOT}/engine.log`,
        });
      }
      if (await pingSocket(socketPath, 500)) return child.pid;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new EngineError(`the gantry engine did not answer on ${socketPath} within ${(opts.timeoutMs ?? 15_000) / 1000} s`, {
      hint: `see its log: ${opts.dataRoot ?? EMBEDDED_DATA_ROOT}/engine.log`,
    });
  } finally {
    child.stderr!.destroy();
    child.unref();
  }
}

/** The pid recorded by the engine on its data root, when it is alive. */
export function embeddedEnginePid(dataRoot = EMBEDDED_DATA_ROOT): number | undefined {
  try {
    const pid = Number(readFileSync(`${dataRoot}/engine.pid`, 'utf8').trim());
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** Stops the engine (SIGTERM) and waits for it to go; containers keep running. */
export async function stopEmbeddedEngine(dataRoot = EMBEDDED_DATA_ROOT, timeoutMs = 15_000): Promise<number | undefined> {
  const pid = embeddedEnginePid(dataRoot);
  if (!pid) return undefined;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return pid;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new EngineError(`the gantry engine (pid ${pid}) did not stop within ${timeoutMs / 1000} s`);
}
