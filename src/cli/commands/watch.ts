// `compose watch`: bring the project up (detached, unless --no-up), then carry
// out the services' develop.watch rules, one line per action, until Ctrl-C,
// which stops watching and leaves the containers running (exit 0).
import type { Command } from 'commander';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { progressView } from '../render/progress.js';
import type { WatchEvent } from '../../project/index.js';

interface WatchFlags {
  up: boolean;
  prune: boolean;
  quiet?: boolean;
}

export function registerWatch(program: Command): void {
  program
    .command('watch')
    .description('Watch the build context of services and sync, restart or rebuild them when files change')
    .argument('[service...]', 'only these services')
    .option('--no-up', 'do not bring the project up before watching')
    .option('--prune', 'remove the image a rebuild replaced when nothing else uses it (default)', true)
    .option('--no-prune', 'keep the images that rebuilds replace')
    .option('--quiet', 'hide the progress of up and of builds')
    .action(async (services: string[], flags: WatchFlags, cmd: Command) => {
      const project = await import('../../project/index.js');
      const stop = untilInterrupted();
      const view = await progressView(flags.quiet ? 'quiet' : undefined);
      try {
        const handle = await project.watch(loadOptionsFrom(cmd), {
          ...engineOptionsFrom(cmd),
          services: services.length ? services : undefined,
          noUp: !flags.up,
          prune: flags.prune,
          onProgress: (e) => view.sink(e),
          onEvent: (e) => {
            if (e.kind === 'watching') void view.end();
            writeEvent(e);
          },
        });
        await stop.interrupted;
        await handle.close();
      } finally {
        await view.end();
        stop.release();
      }
      process.exitCode = 0;
    });
}

/** One line per event: actions on stdout, failures on stderr. */
export function eventLine(e: WatchEvent): { stream: 'stdout' | 'stderr'; text: string } | undefined {
  const files = (n: number) => `${n} changed file${n === 1 ? '' : 's'}`;
  switch (e.kind) {
    case 'watching':
      return { stream: 'stdout', text: `Watch enabled for ${e.services.map((s) => `"${s}"`).join(', ')} (Ctrl+C to stop)` };
    case 'sync':
      return { stream: 'stdout', text: e.initial ? `Syncing service "${e.service}" initially: ${files(e.changed)}` : `Syncing service "${e.service}" after ${files(e.changed)}` };
    case 'restart':
      return { stream: 'stdout', text: `Restarting service "${e.service}" after changes were detected` };
    case 'exec':
      return { stream: e.exitCode === 0 ? 'stdout' : 'stderr', text: `Ran ${JSON.stringify(e.command.join(' '))} in ${e.container}${e.exitCode === 0 ? '' : `: exit code ${e.exitCode}`}` };
    case 'rebuild':
      return { stream: 'stdout', text: `Rebuilding service "${e.service}" after changes were detected` };
    case 'done':
      return e.actions.includes('rebuild') ? { stream: 'stdout', text: `Service "${e.service}" rebuilt and recreated` } : undefined;
    case 'error':
      return { stream: 'stderr', text: `Error: ${e.action} of service "${e.service}" failed: ${e.error.message}${'hint' in e.error && e.error.hint ? ` (${String(e.error.hint)})` : ''}` };
  }
}

function writeEvent(e: WatchEvent): void {
  const line = eventLine(e);
  if (line) (line.stream === 'stdout' ? process.stdout : process.stderr).write(`${line.text}\n`);
}

/** Ctrl-C (or SIGTERM) ends watching rather than the process: this command owns them until released. */
function untilInterrupted(): { interrupted: Promise<void>; release: () => void } {
  const inherited = process.listeners('SIGINT');
  process.removeAllListeners('SIGINT');
  let fire = () => {};
  const interrupted = new Promise<void>((resolve) => (fire = resolve));
  const onSignal = () => fire();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    interrupted,
    release() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      for (const l of inherited) process.on('SIGINT', l as () => void);
    },
  };
}
