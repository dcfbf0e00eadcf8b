// `compose exec`: run a command in a service's running container. The
// process's streams are handed back as they are (the caller pipes them to a
// terminal or reads them), with its exit code once it ends.

import type { LoadOptions } from '../spec/index.js';
import type { AttachedProcess } from './attached-process.js';
import { serviceContainer } from './containers.js';
import { nameOf, type EngineOptions } from './session.js';
import { openTarget } from './target.js';

export interface ExecOptions extends EngineOptions {
  service: string;
  command: string[];
  /** The replica; the lowest-numbered by default. */
  index?: number;
  /** Start it in the background and return at once. */
  detach?: boolean;
  /** Give the process a pseudo-TTY (its stdout and stderr then arrive as one stream). */
  tty?: boolean;
  /** Connect the caller's input; true by default unless detached. */
  interactive?: boolean;
  /** `-e`: `KEY=VALUE`, or `KEY` to pass the variable from the project's environment. */
  environment?: string[];
  user?: string;
  workdir?: string;
  privileged?: boolean;
  /** The terminal's size at the start, for a TTY. */
  consoleSize?: { height: number; width: number };
}

/** A process started in a service's container; `execId` names it to the engine. */
export interface ExecProcess extends AttachedProcess {
  execId: string;
}

export async function exec(load: LoadOptions, opts: ExecOptions): Promise<ExecProcess> {
  const { name, project, engine } = await openTarget(load, opts, [opts.service]);
  const c = await serviceContainer(engine, name, { service: opts.service, index: opts.index, oneoff: true, signal: opts.signal });
  const lookup = project?.environment ?? load.env ?? process.env;
  const interactive = !opts.detach && (opts.interactive ?? true);
  const tty = Boolean(opts.tty);
  const execId = await engine.containers.execCreate(c.Id, {
    Cmd: opts.command,
    Env: resolveEnv(opts.environment ?? [], lookup),
    User: opts.user,
    WorkingDir: opts.workdir,
    Privileged: opts.privileged || undefined,
    Tty: tty,
    AttachStdin: interactive,
    AttachStdout: !opts.detach,
    AttachStderr: !opts.detach,
    ConsoleSize: tty && opts.consoleSize ? [opts.consoleSize.height, opts.consoleSize.width] : undefined,
  });
  const resize = async (size: { height: number; width: number }) => {
    if (tty && size.height > 0 && size.width > 0) await engine.containers.execResize(execId, size);
  };
  if (opts.detach) {
    await engine.containers.execStart(execId, { detach: true, tty, signal: opts.signal });
    return { container: nameOf(c), execId, resize, exitCode: Promise.resolve(0), close: () => {} };
  }
  const streams = (await engine.containers.execStart(execId, {
    tty,
    stdin: interactive,
    consoleSize: tty && opts.consoleSize ? [opts.consoleSize.height, opts.consoleSize.width] : undefined,
    signal: opts.signal,
  }))!;
  // Engines before API 1.42 ignore ConsoleSize: size the terminal once it exists.
  if (tty && opts.consoleSize) await resize(opts.consoleSize).catch(() => {});
  const exitCode = streams.done.then(async () => {
    // The output ends as the process exits; the engine records the code a moment later.
    for (let i = 0; ; i++) {
      const info = await engine.containers.execInspect(execId);
      if (!info) return 0;
      if (!info.Running && info.ExitCode !== null) return info.ExitCode;
      if (i >= 100) return info.ExitCode ?? 0;
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  // A caller that only reads the streams may never await the code.
  exitCode.catch(() => {});
  return { container: nameOf(c), execId, stdin: streams.stdin, stdout: streams.stdout, stderr: streams.stderr, resize, exitCode, close: () => streams.close() };
}

/** `-e KEY=VALUE` as given; `-e KEY` from the environment, left out when it is not set there. */
export function resolveEnv(entries: string[], env: Record<string, string | undefined>): string[] | undefined {
  const out: string[] = [];
  for (const e of entries) {
    if (e.includes('=')) out.push(e);
    else if (env[e] !== undefined) out.push(`${e}=${env[e]}`);
  }
  return out.length ? out : undefined;
}
