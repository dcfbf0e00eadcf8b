// `compose attach`: the terminal joined to a running service container's own
// stdio (its main process, not a new one as exec makes): output streamed,
// input sent when the container keeps stdin open, the exit code once it ends.

import type { LoadOptions } from '../spec/index.js';
import type { AttachedProcess } from './attached-process.js';
import { serviceContainer } from './containers.js';
import { nameOf, type EngineOptions } from './session.js';
import { openTarget } from './target.js';

export interface AttachServiceOptions extends EngineOptions {
  service: string;
  index?: number;
  /** Do not send input, even when the container keeps stdin open. */
  noStdin?: boolean;
  /** The key sequence that leaves the container running (`ctrl-p,ctrl-q` by default, with a TTY). */
  detachKeys?: string;
}

export interface AttachedContainer extends AttachedProcess {
  id: string;
  /** The container has a TTY: the terminal should go raw. */
  tty: boolean;
  /** Sends a signal to the container's main process (`--sig-proxy`). */
  kill(signal: string): Promise<void>;
}

export async function attach(load: LoadOptions, opts: AttachServiceOptions): Promise<AttachedContainer> {
  const { name, engine } = await openTarget(load, opts, [opts.service]);
  const c = await serviceContainer(engine, name, { service: opts.service, index: opts.index, signal: opts.signal });
  const details = await engine.containers.inspect(c.Id, { signal: opts.signal });
  const tty = details?.Config.Tty === true;
  const stdin = details?.Config.OpenStdin === true && !opts.noStdin;
  const streams = await engine.containers.attach(c.Id, { stdin, stdout: true, stderr: true, tty, detachKeys: opts.detachKeys, signal: opts.signal });
  const exitCode = (async () => {
    const ended = engine.containers.wait(c.Id, { condition: 'not-running' });
    // Detaching (the detach keys) ends the stream while the container runs on.
    const outcome = await Promise.race([ended.then((code) => ({ code })), streams.done.then(() => undefined)]);
    if (outcome) {
      await Promise.race([streams.done, new Promise((r) => setTimeout(r, 2000))]);
      return outcome.code;
    }
    const running = (await engine.containers.inspect(c.Id))?.State.Running === true;
    return running ? 0 : await ended;
  })();
  exitCode.catch(() => {});
  return {
    container: nameOf(c),
    id: c.Id,
    tty,
    stdin: streams.stdin,
    stdout: streams.stdout,
    stderr: streams.stderr,
    resize: async (size) => {
      if (tty && size.height > 0 && size.width > 0) await engine.containers.resize(c.Id, size);
    },
    kill: (signal) => engine.containers.kill(c.Id, { signal }),
    exitCode,
    close: () => streams.close(),
  };
}
