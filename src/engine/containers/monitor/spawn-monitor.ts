import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { runtimeMessage } from '../runtime/oci-runtime.js';
import { monitorBinaryPath } from './monitor-binary.js';

export interface MonitorSpawnOptions {
  /**
   * create: `runtime create` a bundle; run: wait for the engine's first
   * connection, then `runtime run --detach` it (created and started by one
   * runtime process); exec: `runtime exec` a process in a running container.
   */
  mode: 'create' | 'run' | 'exec';
  runtimePath: string;
  runtimeRoot: string;
  id: string;
  /** Where the monitor keeps monitor.pid, pid, attach.sock and exit.json. */
  stateDir: string;
  bundle?: string;
  /** exec mode: the OCI process JSON file. */
  processFile?: string;
  /** create mode: docker json-file log. */
  logFile?: string;
  logMaxSize?: number;
  logMaxFiles?: number;
  /** run mode: the root filesystem the monitor unmounts once the container has ended. */
  rootfs?: string;
  /** run mode: mount `rootfs` first, as an overlay with these options (relative paths from `cwd`). */
  mountOverlay?: { options: string; cwd?: string };
  tty: boolean;
  stdin: boolean;
  /** exec mode: run at once instead of waiting for the first attach client. */
  detach?: boolean;
}

export interface SpawnedMonitor {
  /** The container's (or exec process's) pid on the host. */
  pid: number;
  monitorPid: number;
}

export function monitorArguments(opts: MonitorSpawnOptions): string[] {
  const args = [opts.mode, '--runtime', opts.runtimePath, '--runtime-root', opts.runtimeRoot, '--id', opts.id, '--state-dir', opts.stateDir];
  if (opts.mode !== 'exec') {
    if (!opts.bundle) throw new Error(`monitor for ${opts.id}: ${opts.mode} mode needs a bundle`);
    args.push('--bundle', opts.bundle);
    if (opts.logFile) {
      args.push('--log', opts.logFile);
      if (opts.logMaxSize !== undefined) args.push('--log-max-size', String(opts.logMaxSize));
      if (opts.logMaxFiles !== undefined) args.push('--log-max-files', String(opts.logMaxFiles));
    }
    if (opts.rootfs) args.push('--rootfs', opts.rootfs);
    if (opts.rootfs && opts.mountOverlay) {
      args.push('--mount-overlay', opts.mountOverlay.options);
      if (opts.mountOverlay.cwd) args.push('--mount-cwd', opts.mountOverlay.cwd);
    }
  } else {
    if (!opts.processFile) throw new Error(`monitor for exec in ${opts.id}: exec mode needs a process file`);
    args.push('--process', opts.processFile);
    if (opts.detach) args.push('--detach');
  }
  if (opts.tty) args.push('--tty');
  if (opts.stdin) args.push('--stdin');
  args.push('--sync-fd', '3');
  return args;
}

/**
 * Starts a monitor that outlives this process (its own session, no stdio of
 * ours) and resolves once the runtime has created the container or started
 * the exec process. In exec mode without `detach`, the monitor waits for the
 * first attach client before running anything: connect while this is pending.
 * In run mode it says when its attach socket listens (`onListening`, with its
 * pid) and runs the container once the first client has connected.
 */
export function spawnMonitor(opts: MonitorSpawnOptions, onListening?: (monitorPid: number) => void): Promise<SpawnedMonitor> {
  const args = monitorArguments(opts);
  const binary = monitorBinaryPath();
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { detached: true, stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    const sync = child.stdio[3] as Readable;
    let text = '';
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      sync.destroy();
      child.removeAllListeners('exit');
      child.unref();
      fn();
    };
    child.on('error', (err) => settle(() => reject(new Error(`cannot start the container monitor ${binary}: ${err.message}`))));
    child.on('exit', (code, signal) =>
      // Wait for the pipe's last bytes: the line may still be in flight.
      setImmediate(() =>
        settle(() => reject(new Error(`container monitor for ${opts.id} ended (${signal ?? `exit code ${code}`}) before reporting readiness`))),
      ),
    );
    sync.setEncoding('utf8');
    sync.on('data', (chunk: string) => {
      text += chunk;
      let nl = text.indexOf('\n');
      while (nl >= 0 && text.startsWith('{"listening":true}')) {
        text = text.slice(nl + 1);
        nl = text.indexOf('\n');
        onListening?.(child.pid ?? 0);
      }
      if (nl < 0) return;
      const line = text.slice(0, nl);
      settle(() => {
        try {
          const report = JSON.parse(line) as { pid?: number; error?: string };
          if (typeof report.pid === 'number') resolve({ pid: report.pid, monitorPid: child.pid ?? 0 });
          else reject(new Error(`${opts.mode} ${opts.id}: ${runtimeMessage(report.error ?? '') || 'the monitor reported neither pid nor error'}`));
        } catch {
          reject(new Error(`container monitor for ${opts.id} sent an unreadable readiness line: ${line}`));
        }
      });
    });
    sync.on('error', () => {
      // The exit handler reports; a pipe error alone says nothing more.
    });
  });
}
