// `compose ls`: the compose projects on the engine.
import type { Command } from 'commander';
import { GantryError } from '../../common/errors.js';
import { engineOptionsFrom } from '../load-options.js';
import { table } from '../render/table.js';

const collect = (v: string, p: string[]) => [...p, v];

export function registerLs(program: Command): void {
  program
    .command('ls')
    .description('List running compose projects')
    .option('-a, --all', 'show all projects, stopped ones too')
    .option('-q, --quiet', 'only display project names')
    .option('--filter <key=value>', 'filter output (supported: name=NAME or a regular expression)', collect, [])
    .option('--format <format>', 'table or json', 'table')
    .action(async (flags: { all?: boolean; quiet?: boolean; filter: string[]; format: string }, cmd: Command) => {
      if (flags.format !== 'table' && flags.format !== 'json') throw new GantryError('usage', `unsupported format "${flags.format}"`, { hint: 'use --format table or --format json' });
      const filters: Record<string, string[]> = {};
      for (const f of flags.filter) {
        const eq = f.indexOf('=');
        if (eq <= 0) throw new GantryError('usage', `invalid --filter "${f}"`, { hint: 'write KEY=VALUE, e.g. --filter name=shop' });
        (filters[f.slice(0, eq)] ??= []).push(f.slice(eq + 1));
      }
      const project = await import('../../project/index.js');
      const projects = await project.ls({ ...engineOptionsFrom(cmd), all: flags.all, filters });
      const out = process.stdout;
      if (flags.quiet) return void out.write(projects.map((p) => p.Name + '\n').join(''));
      if (flags.format === 'json') return void out.write(JSON.stringify(projects) + '\n');
      out.write(table(['NAME', 'STATUS', 'CONFIG FILES'], projects.map((p) => [p.Name, p.Status, p.ConfigFiles]), { padding: 3, minWidth: 20 }));
    });
}
