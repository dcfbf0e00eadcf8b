// `docker exec`: a process started in a running container through the
// runtime (`runc exec`), held by a monitor of its own in exec mode so a TTY
// works and the exit code is recorded. Exec instances live in memory only,
// as in dockerd.

import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { badRequest, conflict, noSuchExec } from '../api/api-error.js';
import { frame } from '../api/frames.js';
import { displayName, type ContainerRecord } from './container-record.js';
import type { ContainerService } from './container-service.js';
import { capabilitySets, detectHostFeatures, readUserDatabase, resolveCapabilities, resolveUser } from './bundle/index.js';
import { connectMonitor, readExitRecord, spawnMonitor, type MonitorConnection } from './monitor/index.js';

export interface ExecConfig {
  Cmd: string[];
  Env?: string[] | null;
  User?: string;
  WorkingDir?: string;
  Tty?: boolean;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  Privileged?: boolean;
  DetachKeys?: string;
  /** [height, width] of the terminal the exec starts with (API 1.42+). */
  ConsoleSize?: [number, number] | null;
}

export interface ExecInstance {
  ID: string;
  ContainerID: string;
  Config: ExecConfig;
  Running: boolean;
  ExitCode: number | null;
  Pid: number;
  conn?: MonitorConnection;
  /** A resize that came before the process was attached: applied once it is. */
  pendingSize?: [number, number];
  done: Promise<number>;
  finish: (code: number) => void;
}

export class ExecService {
  private readonly execs = new Map<string, ExecInstance>();

  constructor(private readonly containers: ContainerService) {}

  create(containerRef: string, config: ExecConfig): string {
    const c = this.containers.find(containerRef);
    if (!c.State.Running || c.State.Restarting) throw conflict(`container ${c.Id} is not running`);
    if (c.State.Paused) throw conflict(`container ${c.Id} is paused, unpause the container before exec`);
    if (!Array.isArray(config.Cmd) || config.Cmd.length === 0) throw badRequest('No exec command specified');
    const id = randomBytes(32).toString('hex');
    let finish!: (code: number) => void;
    const done = new Promise<number>((r) => (finish = r));
    this.execs.set(id, { ID: id, ContainerID: c.Id, Config: config, Running: false, ExitCode: null, Pid: 0, done, finish });
    // Forget finished instances after a while, as dockerd does.
    setTimeout(() => this.execs.delete(id), 10 * 60_000).unref();
    return id;
  }

  get(id: string): ExecInstance {
    const e = this.execs.get(id);
    if (!e) throw noSuchExec(id);
    return e;
  }

  inspect(id: string): Record<string, unknown> {
    const e = this.get(id);
    return {
      ID: e.ID,
      ContainerID: e.ContainerID,
      Running: e.Running,
      ExitCode: e.ExitCode,
      Pid: e.Pid,
      OpenStdin: !!e.Config.AttachStdin,
      OpenStdout: !!e.Config.AttachStdout,
      OpenStderr: !!e.Config.AttachStderr,
      CanRemove: false,
      DetachKeys: e.Config.DetachKeys ?? '',
      ProcessConfig: { tty: !!e.Config.Tty, entrypoint: e.Config.Cmd[0], arguments: e.Config.Cmd.slice(1), privileged: !!e.Config.Privileged, user: e.Config.User ?? '' },
    };
  }

  /**
   * Starts the process. Attached: streams it over `socket` (raw with a TTY,
   * multiplexed without) until it exits. Detached: returns once it runs.
   */
  async start(id: string, opts: { detach?: boolean; socket?: Duplex }): Promise<void> {
    const e = this.get(id);
    if (e.Running || e.ExitCode !== null) throw conflict(`Error: Exec command ${id} has already run`);
    const c = this.containers.find(e.ContainerID);
    if (!c.State.Running) throw conflict(`container ${c.Id} is not running`);
    const stateDir = join(this.containers.stateDir(c.Id), `exec-${id.slice(0, 12)}`);
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const processFile = join(stateDir, 'process.json');
    writeFileSync(processFile, JSON.stringify(await this.processSpec(c, e.Config)), { mode: 0o600 });
    const spawned = spawnMonitor({
      mode: 'exec',
      runtimePath: this.containers.deps.runtime.path,
      runtimeRoot: this.containers.deps.runtime.root,
      id: c.Id,
      stateDir,
      processFile,
      tty: !!e.Config.Tty,
      stdin: !!e.Config.AttachStdin && !opts.detach,
      detach: !!opts.detach || !opts.socket,
    });
    e.Running = true;
    const ended = (code: number) => {
      e.Running = false;
      e.ExitCode = code;
      e.finish(code);
      rmSync(stateDir, { recursive: true, force: true });
      this.containers.deps.events.publish('container', 'exec_die', c.Id, { execID: id, exitCode: String(code), name: displayName(c) });
    };
    if (opts.detach || !opts.socket) {
      try {
        const { pid } = await spawned;
        e.Pid = pid;
      } catch (err) {
        ended(126);
        throw execFailure(err);
      }
      // Learn the exit from the monitor going away.
      connectMonitor(stateDir)
        .then((conn) => conn.on('close', () => ended(readExitRecord(stateDir)?.exitCode ?? 255)))
        .catch(() => ended(readExitRecord(stateDir)?.exitCode ?? 255));
      return;
    }
    const socket = opts.socket;
    const tty = !!e.Config.Tty;
    let conn: MonitorConnection;
    let closed!: Promise<void>;
    try {
      conn = await connectWhenReady(stateDir, spawned);
      e.conn = conn;
      if (e.pendingSize) conn.resize(...e.pendingSize);
      // Listen before anything else is awaited: a short process may print
      // and exit before the runtime has even reported its pid.
      conn.on('output', (stream: 1 | 2, chunk: Buffer) => {
        if (socket.writable) socket.write(tty ? chunk : frame(stream, chunk));
      });
      closed = new Promise<void>((resolve) => conn.on('close', () => resolve()));
      e.Pid = (await spawned).pid;
    } catch (err) {
      ended(126);
      const message = execFailure(err).message;
      socket.end(e.Config.Tty ? `${message}\r\n` : frame(2, Buffer.from(`${message}\n`)));
      return;
    }
    e.conn = conn;
    this.containers.deps.events.publish('container', `exec_start: ${e.Config.Cmd.join(' ')}`, c.Id, { execID: id, name: displayName(c) });
    // Without AttachStdin the process has no stdin (docker drops what the
    // client sends); passing it on would only race the monitor's close.
    if (e.Config.AttachStdin) {
      socket.on('data', (chunk: Buffer) => conn.writeStdin(chunk));
      socket.on('end', () => conn.closeStdin());
    } else {
      socket.resume();
    }
    socket.on('error', () => undefined);
    await closed;
    ended(readExitRecord(stateDir)?.exitCode ?? 255);
    socket.end();
  }

  resize(id: string, rows: number, cols: number): void {
    const e = this.get(id);
    if (e.ExitCode !== null) throw conflict(`Exec ${id} is not running`);
    if (e.conn) e.conn.resize(rows, cols);
    else e.pendingSize = [rows, cols];
  }

  /** Runs a command to its end, collecting its output: healthchecks use this. */
  async run(containerId: string, cmd: string[], timeoutMs: number): Promise<{ exitCode: number; output: string; timedOut: boolean }> {
    const id = this.create(containerId, { Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const e = this.get(id);
    const { PassThrough } = await import('node:stream');
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    let size = 0;
    sink.on('data', (chunk: Buffer) => {
      // Frames: strip the 8-byte headers; docker keeps at most 4 KiB of output.
      for (let off = 0; off + 8 <= chunk.length; ) {
        const len = chunk.readUInt32BE(off + 4);
        if (size < 4096) chunks.push(chunk.subarray(off + 8, off + 8 + len));
        size += len;
        off += 8 + len;
      }
    });
    const started = this.start(id, { socket: sink });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      started.then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (timedOut && e.Pid) {
      try {
        process.kill(e.Pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    return { exitCode: timedOut ? -1 : (e.ExitCode ?? -1), output: Buffer.concat(chunks).toString('utf8').slice(0, 4096), timedOut };
  }

  private async processSpec(c: ContainerRecord, config: ExecConfig): Promise<Record<string, unknown>> {
    const bundle = JSON.parse(readFileSync(join(this.containers.containerDir(c.Id), 'bundle', 'config.json'), 'utf8')) as {
      process: Record<string, unknown> & { env?: string[]; user?: unknown; cwd?: string };
      root: { path: string };
    };
    // The container's own view (its mounts included) when it runs.
    const rootfs = c.State.Pid ? `/proc/${c.State.Pid}/root` : bundle.root.path;
    const env = new Map<string, string>();
    for (const kv of [...(bundle.process.env ?? []), ...(config.Env ?? [])]) {
      const eq = kv.indexOf('=');
      env.set(eq < 0 ? kv : kv.slice(0, eq), kv);
    }
    let user: ReturnType<typeof resolveUser> | undefined;
    if (config.User) {
      const { passwd, group } = await readUserDatabase(rootfs);
      user = resolveUser(config.User, passwd, group);
    }
    return {
      ...bundle.process,
      terminal: !!config.Tty,
      args: config.Cmd,
      env: [...env.values()],
      cwd: config.WorkingDir || bundle.process.cwd || '/',
      user: user ? { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids } : bundle.process.user,
      consoleSize: config.Tty && config.ConsoleSize?.[0] && config.ConsoleSize?.[1] ? { height: config.ConsoleSize[0], width: config.ConsoleSize[1] } : undefined,
      // `--privileged`: every capability the engine holds, as docker gives.
      capabilities: config.Privileged
        ? capabilitySets(resolveCapabilities({ privileged: true, available: detectHostFeatures().capabilities }), user?.uid ?? 0)
        : (bundle.process as { capabilities?: unknown }).capabilities,
    };
  }
}

async function connectWhenReady(stateDir: string, spawned: Promise<unknown>): Promise<MonitorConnection> {
  let failure: unknown;
  spawned.catch((e) => (failure = e));
  for (let i = 0; i < 400; i++) {
    if (failure) throw failure;
    try {
      return await connectMonitor(stateDir);
    } catch {
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  throw new Error('the exec monitor did not come up');
}

function execFailure(err: unknown): Error {
  const message = (err as Error)?.message ?? String(err);
  return Object.assign(new Error(`OCI runtime exec failed: ${message}`), { status: 500 });
}
