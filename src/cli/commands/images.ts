// `compose images`: the images the project's containers were created from.
import type { Command } from 'commander';
import { GantryError } from '../../common/errors.js';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { humanSize } from '../render/human.js';
import { table } from '../render/table.js';

export function registerImages(program: Command): void {
  program
    .command('images')
    .description('List images used by the created containers')
    .argument('[service...]', 'only these services')
    .option('--format <format>', 'table or json', 'table')
    .option('-q, --quiet', 'only display IDs')
    .action(async (services: string[], flags: { format: string; quiet?: boolean }, cmd: Command) => {
      if (flags.format !== 'table' && flags.format !== 'json') throw new GantryError('usage', `unsupported format "${flags.format}"`, { hint: 'use --format table or --format json' });
      const project = await import('../../project/index.js');
      const rows = await project.images(loadOptionsFrom(cmd), { ...engineOptionsFrom(cmd), services: services.length ? services : undefined });
      const out = process.stdout;
      if (flags.quiet) return void out.write([...new Set(rows.map((r) => bareId(r.ID)))].map((id) => id + '\n').join(''));
      if (flags.format === 'json') return void out.write(JSON.stringify(rows) + '\n');
      out.write(
        table(
          ['CONTAINER', 'REPOSITORY', 'TAG', 'IMAGE ID', 'SIZE'],
          rows.map((r) => [r.ContainerName, r.Repository || '<none>', r.Tag || '<none>', bareId(r.ID).slice(0, 12), humanSize(r.Size)]),
          { padding: 3, minWidth: 20 },
        ),
      );
    });
}

/** `sha256:abc…` → `abc…`. */
function bareId(id: string): string {
  const colon = id.indexOf(':');
  return colon >= 0 ? id.slice(colon + 1) : id;
}
