// `compose stats`: docker stats for the project's containers, once
// (`--no-stream`) or redrawn every second until interrupted.
import type { Command } from 'commander';
import { GantryError } from '../../common/errors.js';
import type { StatsRow } from '../../project/index.js';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { table } from '../render/table.js';

interface StatsFlags {
  all?: boolean;
  stream: boolean;
  trunc: boolean;
  format?: string;
}

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description('Display a live stream of container(s) resource usage statistics')
    .argument('[service...]', 'only these services')
    .option('-a, --all', 'show all containers (default shows just running)')
    .option('--no-stream', 'disable streaming stats and only pull the first result')
    .option('--no-trunc', 'do not truncate output')
    .option('--format <format>', 'table or json')
    .action(async (services: string[], flags: StatsFlags, cmd: Command) => {
      const format = flags.format ?? 'table';
      if (format !== 'table' && format !== 'json') throw new GantryError('usage', `--format ${format}: use table or json`);
      const project = await import('../../project/index.js');
      const opts = { ...engineOptionsFrom(cmd), services: services.length ? services : undefined, all: flags.all };
      const render = (rows: StatsRow[]) => (format === 'json' ? rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '') : statsTable(rows, flags.trunc));
      if (!flags.stream) {
        process.stdout.write(render(await project.stats(loadOptionsFrom(cmd), opts)));
        return;
      }
      // Redrawn in place on a terminal, a table a second elsewhere, as docker stats does.
      const tty = process.stdout.isTTY === true && format === 'table';
      let rows: StatsRow[] = [];
      let shown = '';
      const draw = () => {
        const text = render(rows);
        if (tty) process.stdout.write(`\x1b[2J\x1b[H${text}`);
        else if (text !== shown) process.stdout.write(text);
        shown = text;
      };
      const timer = setInterval(draw, 1000);
      try {
        await project.followStats(loadOptionsFrom(cmd), { ...opts, onRows: (r) => (rows = r) });
      } finally {
        clearInterval(timer);
      }
      draw();
    });
}

/** docker stats' table; the id cut to 12 unless --no-trunc. */
export function statsTable(rows: StatsRow[], truncate = true): string {
  return table(
    ['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I/O', 'PIDS'],
    rows.map((r) => [truncate ? r.ID.slice(0, 12) : r.ID, r.Name, r.CPUPerc, r.MemUsage, r.MemPerc, r.NetIO, r.BlockIO, r.PIDs]),
    { padding: 3 },
  );
}
