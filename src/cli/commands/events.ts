// `compose events`: the project's container events as they happen.
import type { Command } from 'commander';
import type { ComposeEvent } from '../../project/index.js';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { LineWriter } from '../render/line-writer.js';

export function registerEvents(program: Command): void {
  program
    .command('events')
    .description('Receive real time events from containers')
    .argument('[service...]', 'only these services')
    .option('--json', 'output events as a stream of JSON objects')
    .option('--since <time>', 'show all events created since a timestamp (or a duration before now, e.g. 10m)')
    .option('--until <time>', 'stream events until a timestamp (or a duration before now)')
    .action(async (services: string[], flags: { json?: boolean; since?: string; until?: string }, cmd: Command) => {
      const project = await import('../../project/index.js');
      const writer = new LineWriter(process.stdout);
      const stream = project.events(loadOptionsFrom(cmd), {
        ...engineOptionsFrom(cmd),
        services: services.length ? services : undefined,
        since: flags.since,
        until: flags.until,
      });
      for await (const e of stream) {
        const wait = writer.write((flags.json ? JSON.stringify(e) : eventLine(e)) + '\n');
        if (wait) await wait;
        if (writer.broken) break;
      }
      await writer.end();
    });
}

/** docker compose's plain line: `2024-05-01 10:00:00.123456 container start 3f2a… (image=busybox, name=app-web-1)`. */
export function eventLine(e: ComposeEvent): string {
  const date = new Date(e.time);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const micros = (/\.(\d{1,9})Z$/.exec(e.time)?.[1] ?? '').padEnd(6, '0').slice(0, 6);
  const when = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${micros}`;
  const attrs = Object.entries(e.attributes).map(([k, v]) => `${k}=${v}`).join(', ');
  return `${when} ${e.type} ${e.action} ${e.id} (${attrs})`;
}
