// `compose logs`: the output of the project's containers, prefixed by replica.
import type { Command } from 'commander';
import { GantryError } from '../../common/errors.js';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { servicePainter } from '../style.js';

interface LogsFlags {
  follow?: boolean;
  tail?: string;
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
    .option('-n, --tail <lines>', 'number of lines to show from the end of the logs ("all" by default)')
    .option('-t, --timestamps', 'show timestamps')
    .option('--since <time>', 'show logs since a timestamp (RFC 3339) or relative time (42m)')
    .option('--until <time>', 'show logs before a timestamp (RFC 3339) or relative time (42m)')
    .option('--no-color', 'produce monochrome output')
    .option('--no-log-prefix', 'do not print the prefix in logs')
    .option('--index <n>', 'index of the container if the service has several replicas')
    .action(async (services: string[], flags: LogsFlags, cmd: Command) => {
      const tail = flags.tail === undefined || flags.tail === 'all' ? undefined : Number(flags.tail);
      if (tail !== undefined && (!Number.isInteger(tail) || tail < 0)) throw new GantryError('usage', `invalid --tail "${flags.tail}"`, { hint: 'give a number of lines, or all' });
      const project = await import('../../project/index.js');
      const abort = new AbortController();
      process.once('SIGINT', () => abort.abort());
      const stream = project.logs(loadOptionsFrom(cmd), {
        ...engineOptionsFrom(cmd),
        services: services.length ? services : undefined,
        follow: flags.follow,
        tail,
        timestamps: flags.timestamps,
        since: flags.since,
        until: flags.until,
        index: flags.index === undefined ? undefined : Number(flags.index),
        signal: abort.signal,
      });
      const paint = servicePainter(flags.color);
      const width = { value: 0 };
      const out = process.stdout;
      for await (const l of stream) {
        width.value = Math.max(width.value, l.source.length);
        const prefix = flags.logPrefix ? `${paint(l.service, l.source.padEnd(width.value))}  | ` : '';
        const line = `${prefix}${l.timestamp && flags.timestamps ? `${l.timestamp} ` : ''}${l.line}\n`;
        if (!out.write(line)) await new Promise((r) => out.once('drain', r));
      }
    });
}
