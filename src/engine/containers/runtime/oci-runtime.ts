import { execFile } from 'node:child_process';

/** `runtime state ID`, as runc and crun print it. */
export interface RuntimeState {
  ociVersion: string;
  id: string;
  pid: number;
  /** creating | created | running | paused | stopped */
  status: string;
  bundle: string;
  rootfs?: string;
  created?: string;
  annotations?: Record<string, string>;
}

export interface RuntimeListEntry {
  id: string;
  pid: number;
  status: string;
  bundle: string;
  created?: string;
}

/** A runtime failure, carrying what the runtime said on stderr. */
export class RuntimeError extends Error {
  constructor(
    readonly command: string,
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(`${command}: ${runtimeMessage(stderr) || `exited with status ${exitCode}`}`);
    this.name = 'RuntimeError';
  }

  /** runc and crun word it differently; both mean the id is unknown to them. */
  get notFound(): boolean {
    return /does not exist|not found|no such file or directory/i.test(this.stderr);
  }
}

/** runc logs through logrus (`time=… level=error msg="…"`): keep the message, drop the decoration. */
export function runtimeMessage(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => {
      const m = /\bmsg="((?:[^"\\]|\\.)*)"/.exec(line);
      return m ? m[1]!.replace(/\\(.)/g, '$1') : line.trim();
    })
    .filter((line) => line.length > 0);
  return lines.join('; ');
}

/**
 * The OCI runtime binary (runc or crun) under one state root. The monitor runs
 * `create` and `exec` itself (it must be their parent); everything else is here.
 */
export class OciRuntime {
  constructor(
    readonly path: string,
    readonly root: string,
  ) {}

  async start(id: string): Promise<void> {
    await this.run(['start', id]);
  }

  async kill(id: string, signal: string | number = 'SIGTERM', opts: { all?: boolean } = {}): Promise<void> {
    await this.run(['kill', ...(opts.all ? ['--all'] : []), id, String(signal)]);
  }

  async delete(id: string, opts: { force?: boolean } = {}): Promise<void> {
    await this.run(['delete', ...(opts.force ? ['--force'] : []), id]);
  }

  /** The container's state, or undefined when the runtime does not know the id. */
  async state(id: string): Promise<RuntimeState | undefined> {
    try {
      return parseJson<RuntimeState>(await this.run(['state', id]), `state ${id}`);
    } catch (err) {
      if (err instanceof RuntimeError && err.notFound) return undefined;
      throw err;
    }
  }

  async pause(id: string): Promise<void> {
    await this.run(['pause', id]);
  }

  async resume(id: string): Promise<void> {
    await this.run(['resume', id]);
  }

  /** Host pids of every process in the container. */
  async ps(id: string): Promise<number[]> {
    return parseJson<number[] | null>(await this.run(['ps', '--format', 'json', id]), `ps ${id}`) ?? [];
  }

  async list(): Promise<RuntimeListEntry[]> {
    return parseJson<RuntimeListEntry[] | null>(await this.run(['list', '--format', 'json']), 'list') ?? [];
  }

  private run(args: string[]): Promise<string> {
    const argv = ['--root', this.root, ...args];
    return new Promise((resolve, reject) => {
      execFile(this.path, argv, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const code = typeof err.code === 'number' ? err.code : null;
        const said = stderr || (typeof err.code === 'string' ? `${err.code}: ${err.message}` : '');
        reject(new RuntimeError(`${this.path} ${args.join(' ')}`, said, code));
      });
    });
  }
}

function parseJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`runtime ${what}: unreadable JSON output: ${text.slice(0, 200)}`);
  }
}
