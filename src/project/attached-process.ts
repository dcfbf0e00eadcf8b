// What `exec` and `run` hand back: a process in a container with its streams,
// its terminal size and its exit, whichever way it was started.

import type { Readable, Writable } from 'node:stream';

export interface AttachedProcess {
  /** `app-web-1`, `app-web-run-0123456789ab`. */
  container: string;
  /** Undefined when detached or not interactive; `end()` sends EOF. */
  stdin?: Writable;
  /** Undefined when detached. With a TTY, everything arrives here. */
  stdout?: Readable;
  stderr?: Readable;
  /** Tells a TTY process its terminal's new size. */
  resize(size: { height: number; width: number }): Promise<void>;
  /** The exit code once the process ended (0 at once when detached). */
  exitCode: Promise<number>;
  /** Drops the connection, leaving the process running. */
  close(): void;
}
