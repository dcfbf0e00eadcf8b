// `compose volumes`: the project's volumes as docker volume ls shows them.
import type { Command } from 'commander';
import { GantryError } from '../../common/errors.js';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { table } from '../render/table.js';

export function registerVolumes(program: Command): void {
  program
    .command('volumes')
    .description('List volumes')
    .argument('[service...]', 'only the volumes these services mount')
    .option('--format <format>', 'table or json', 'table')
    .option('-q, --quiet', 'only display volume names')
    .action(async (services: string[], flags: { format: string; quiet?: boolean }, cmd: Command) => {
      if (flags.format !== 'table' && flags.format !== 'json') throw new GantryError('usage', `unsupported format "${flags.format}"`, { hint: 'use --format table or --format json' });
      const project = await import('../../project/index.js');
      const rows = await project.volumes(loadOptionsFrom(cmd), { ...engineOptionsFrom(cmd), services: services.length ? services : undefined });
      const out = process.stdout;
      if (flags.quiet) return void out.write(rows.map((r) => r.Name + '\n').join(''));
      if (flags.format === 'json') return void out.write(rows.map((r) => JSON.stringify(r) + '\n').join(''));
      out.write(table(['DRIVER', 'VOLUME NAME'], rows.map((r) => [r.Driver, r.Name]), { padding: 5 }));
    });
}
