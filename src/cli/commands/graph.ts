// `compose graph`: print the service dependency graph (mermaid or dot).
import type { Command } from 'commander';
import { GantryError } from '../../common/errors.js';
import { loadOptionsFrom } from '../load-options.js';

export function registerGraph(program: Command): void {
  program
    .command('graph')
    .description('Print the service dependency graph (depends_on, links, network_mode, volumes_from)')
    .argument('[service...]', 'services to enable even if their profile is not active')
    .option('--format <format>', 'mermaid or dot', 'mermaid')
    .action(async (services: string[], flags: { format: string }, cmd: Command) => {
      if (flags.format !== 'mermaid' && flags.format !== 'dot') {
        throw new GantryError('usage', `unsupported graph format "${flags.format}"`, { hint: 'use --format mermaid or --format dot' });
      }
      const project = await import('../../project/index.js');
      const text = await project.graph(loadOptionsFrom(cmd, { services: services.length ? services : undefined }), flags.format);
      process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    });
}
