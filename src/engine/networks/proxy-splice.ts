// Hands a bound TCP listener to a gantry-proxy process, which relays each
// connection with splice(2): the engine keeps binding (so "port in use" and
// ephemeral ports stay its own synchronous answers) but no longer carries the
// bytes through its event loop.

import { spawn, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:net';

export interface SpliceRelay {
  readonly pid: number;
  /** Kills the relay and with it the listener and every open connection. */
  close(): Promise<void>;
}

/** The listener's file descriptor: Node keeps it on the internal handle, there is no public accessor. */
function listenerFd(server: Server): number | undefined {
  const fd = (server as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}

/**
 * Starts the relay on the server's socket and closes the engine's copy once
 * the relay runs. Undefined (the server left as it was) when the relay cannot
 * start, so the caller can relay in Node instead.
 */
export async function startSpliceRelay(
  binary: string,
  server: Server,
  targetIp: string,
  targetPort: number,
  /** Called when the relay exits without being closed (how: `signal SIGKILL`, `code 1`). */
  onCrash?: (how: string, pid: number) => void,
): Promise<SpliceRelay | undefined> {
  const fd = listenerFd(server);
  if (fd === undefined) return undefined;
  const child: ChildProcess = spawn(binary, [targetIp, String(targetPort)], { stdio: ['ignore', 'ignore', 'ignore', fd] });
  const started = await new Promise<boolean>((resolve) => {
    child.once('spawn', () => resolve(true));
    child.once('error', () => resolve(false));
  });
  if (!started || child.pid === undefined) return undefined;
  // The child holds its own copy of the socket from here on; the engine's
  // copy would only compete with it for connections.
  await new Promise<void>((resolve) => server.close(() => resolve()));
  let closing = false;
  const exited = new Promise<void>((resolve) => {
    const done = () => {
      resolve();
      if (!closing) onCrash?.(child.signalCode ? `signal ${child.signalCode}` : `code ${child.exitCode}`, child.pid!);
    };
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once('exit', done);
  });
  return {
    pid: child.pid,
    async close() {
      closing = true;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
