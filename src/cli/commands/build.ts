// `compose build`: build the images of services with a build section.
import type { Command } from 'commander';
import { GantryError } from '../../common/errors.js';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { progressSink } from '../render/progress.js';

interface BuildFlags {
  noCache?: boolean;
  pull?: boolean;
  buildArg: string[];
  quiet?: boolean;
  parallel?: string;
}

export function registerBuild(program: Command): void {
  program
    .command('build')
    .description('Build or rebuild services')
    .argument('[service...]', 'only these services')
    .option('--no-cache', 'do not use the build cache')
    .option('--pull', 'always try to pull newer base images')
    .option('--build-arg <key=value>', 'set a build-time variable (repeatable; KEY alone takes it from the environment)', (v: string, all: string[]) => [...all, v], [])
    .option('-q, --quiet', 'print nothing but errors')
    .action(async (services: string[], flags: BuildFlags, cmd: Command) => {
      const project = await import('../../project/index.js');
      const quiet = Boolean(flags.quiet);
      await project.build(loadOptionsFrom(cmd), {
        ...engineOptionsFrom(cmd),
        services: services.length ? services : undefined,
        // commander turns --no-cache into cache: false.
        noCache: (flags as { cache?: boolean }).cache === false,
        pull: flags.pull,
        buildArgs: buildArgs(flags.buildArg),
        onProgress: quiet ? undefined : progressSink(),
        onOutput: quiet ? undefined : (service, text) => process.stderr.write(prefixLines(service, text)),
      });
    });
}

function buildArgs(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const i = v.indexOf('=');
    if (i === 0) throw new GantryError('usage', `invalid --build-arg "${v}"`, { hint: 'write KEY=VALUE, or KEY to take it from the environment' });
    if (i < 0) {
      if (process.env[v] !== undefined) out[v] = process.env[v]!;
    } else out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
}

function prefixLines(service: string, text: string): string {
  return text.replace(/^(?=.)/gm, `${service}  | `);
}
