// `compose logs`: the output of the project's containers, each line prefixed by its container.
import type { Command } from 'commander';
import { GantryError } from '../../common/errors.js';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { LineWriter } from '../render/line-writer.js';
import { LogPrefixes } from '../render/log-prefix.js';
import { colorFor } from '../style.js';

interface LogsFlags {
  follow?: boolean;
  tail: string;
  timestamps?: boolean;
  since?: string;
  until?: string;
  color: boolean;
  logPrefix: boolean;
  index?: string;
}

export function registerLogs(program: Command): void {
  program
    .command('logs')
    .description('View output from containers')
    .argument('[service...]', 'only these services')
    .option('-f, --follow', 'follow log output')
    .option('-n, --tail <lines>', 'number of lines to show from the end of the logs of each container', 'all')
    .option('-t, --timestamps', 'show timestamps')
    .option('--since <time>', 'show logs since a timestamp (e.g. 2013-01-02T13:23:37Z) or relative time (e.g. 42m)')
    .option('--until <time>', 'show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative time (e.g. 42m)')
    .option('--no-color', 'produce monochrome output')
    .option('--no-log-prefix', 'do not print the prefix in logs')
    .option('--index <n>', 'index of the container if the service has several replicas')
    .action(async (services: string[], flags: LogsFlags, cmd: Command) => {
      const tail = lineCount(flags.tail);
      const index = flags.index === undefined ? undefined : replicaIndex(flags.index);
      const project = await import('../../project/index.js');
      const abort = new AbortController();
      const onSignal = () => abort.abort();
      process.once('SIGTERM', onSignal);
      const prefixes = flags.logPrefix ? new LogPrefixes(flags.color && colorFor(process.stdout)) : undefined;
      const writer = new LineWriter(process.stdout);
      try {
        const lines = project.logs(loadOptionsFrom(cmd), {
          ...engineOptionsFrom(cmd),
          services: services.length ? services : undefined,
          follow: flags.follow,
          tail,
          timestamps: flags.timestamps,
          since: flags.since,
          until: flags.until,
          index,
          onSource: (s) => prefixes?.add([s]),
          signal: abort.signal,
        });
        for await (const l of lines) {
          const text = `${prefixes ? prefixes.prefix(l.source, l.service) : ''}${l.timestamp ? `${l.timestamp} ` : ''}${l.line}\n`;
          const wait = writer.write(text);
          if (wait) await wait;
          if (writer.broken) break;
        }
        await writer.end();
      } finally {
        process.off('SIGTERM', onSignal);
      }
    });
}

/** `--tail`: a number of lines, or `all`. */
export function lineCount(v: string): number | undefined {
  if (v === 'all' || v === '-1') return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n)) throw new GantryError('usage', `invalid --tail value "${v}"`, { hint: 'give a number of lines, or all' });
  return n;
}

/** `--index`: a replica number, from 1. */
export function replicaIndex(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1) throw new GantryError('usage', `invalid --index value "${v}"`, { hint: 'give the replica number, from 1 (see compose ps)' });
  return n;
}
