// `compose config`: print the normalized project, or one view of it.
import type { Command } from 'commander';
import { GantryError } from '../../common/errors.js';
import { loadOptionsFrom } from '../load-options.js';

interface ConfigFlags {
  format: string;
  services?: boolean;
  volumes?: boolean;
  networks?: boolean;
  profiles?: boolean;
  images?: boolean;
  hash?: string;
  quiet?: boolean;
  output?: string;
  interpolate: boolean;
  normalize: boolean;
}

export function registerConfig(program: Command): void {
  program
    .command('config')
    .description('Parse, resolve and render the compose file in canonical format')
    .argument('[service...]', 'services to include (default: all enabled)')
    .option('--format <format>', 'yaml or json', 'yaml')
    .option('--services', 'print the service names, one per line')
    .option('--volumes', 'print the volume names, one per line')
    .option('--networks', 'print the network names, one per line')
    .option('--profiles', 'print the profile names, one per line')
    .option('--images', 'print the image names, one per line')
    .option('--hash <services>', 'print the config hash of the services ("*" for all)')
    .option('-q, --quiet', 'only validate the configuration, print nothing')
    .option('-o, --output <file>', 'save to a file instead of stdout')
    .option('--no-interpolate', 'do not interpolate environment variables')
    .option('--no-normalize', 'do not normalize the compose model')
    .action(async (services: string[], flags: ConfigFlags, cmd: Command) => {
      if (flags.format !== 'yaml' && flags.format !== 'json') {
        throw new GantryError('usage', `unsupported format "${flags.format}"`, { hint: 'use --format yaml or --format json' });
      }
      // project/config.js alone: the package index also loads the engine client (dockerode), which config never uses.
      const project = await import('../../project/config.js');
      const view = await project.config(
        loadOptionsFrom(cmd, { interpolate: flags.interpolate, normalize: flags.normalize, services: services.length ? services : undefined }),
      );
      if (flags.quiet) return;
      const p = view.project;
      let text: string;
      if (flags.services) text = lines(project.serviceNames(p));
      else if (flags.volumes) text = lines(Object.keys(p.volumes).sort());
      else if (flags.networks) text = lines(Object.keys(p.networks).sort());
      else if (flags.profiles) text = lines(project.profileNames(p));
      else if (flags.images) text = lines(project.imageNames(p));
      else if (flags.hash !== undefined) text = lines(project.serviceHashes(p, flags.hash).map(([n, h]) => `${n} ${h}`));
      else {
        const doc = services.length ? onlyServices(view.document, services) : view.document;
        text = flags.format === 'json' ? JSON.stringify(doc, null, 2) + '\n' : project.toYaml(doc);
      }
      if (flags.output) {
        const { writeFileSync } = await import('node:fs');
        writeFileSync(flags.output, text);
      } else {
        process.stdout.write(text);
      }
    });
}

function lines(items: string[]): string {
  return items.length ? items.join('\n') + '\n' : '';
}

function onlyServices(doc: Record<string, unknown>, names: string[]): Record<string, unknown> {
  const services = (doc.services ?? {}) as Record<string, unknown>;
  const kept: Record<string, unknown> = {};
  for (const n of Object.keys(services)) if (names.includes(n)) kept[n] = services[n];
  return { ...doc, services: kept };
}
