// `compose create`: create the containers (and networks, volumes) without starting them.
import type { Command } from 'commander';
import { GantryError } from '../../common/errors.js';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { progressSink } from '../render/progress.js';
import { parseScale } from './up.js';

interface CreateFlags {
  build?: boolean;
  noBuild?: boolean;
  pull: string;
  forceRecreate?: boolean;
  recreate: boolean;
  removeOrphans?: boolean;
  scale: string[];
  dryRun?: boolean;
  parallel?: string;
}

const PULL = ['always', 'missing', 'never', 'build'];

export function registerCreate(program: Command): void {
  program
    .command('create')
    .description('Creates containers for a service')
    .argument('[service...]', 'only these services (with their dependencies)')
    .option('--build', 'build images before starting containers')
    .option('--no-build', "don't build an image, even if it's policy")
    .option('--pull <policy>', 'pull image before running ("always"|"missing"|"never"|"build")', 'policy')
    .option('--force-recreate', 'recreate containers even if their configuration and image haven\'t changed')
    .option('--no-recreate', "if containers already exist, don't recreate them")
    .option('--remove-orphans', 'remove containers for services not defined in the compose file')
    .option('--scale <service=n>', 'scale a service (repeatable)', (v: string, p: string[]) => [...p, v], [])
    .option('--dry-run', 'print the plan instead of executing it')
    .option('--parallel <n>', 'at most this many services at once')
    .action(async (services: string[], flags: CreateFlags, cmd: Command) => {
      if (flags.pull !== 'policy' && !PULL.includes(flags.pull)) throw new GantryError('usage', `invalid --pull value "${flags.pull}"`, { hint: `one of ${PULL.join(', ')}` });
      // commander folds --build and --no-build into one flag: `build` false means --no-build.
      if (flags.build === true) throw new GantryError('usage', 'building images is not built yet', { hint: 'build the image with docker build, then run compose create' });
      const project = await import('../../project/index.js');
      const pull = flags.pull === 'always' || flags.pull === 'missing' ? flags.pull : undefined;
      const result = await project.create(loadOptionsFrom(cmd), {
        ...engineOptionsFrom(cmd),
        services: services.length ? services : undefined,
        forceRecreate: flags.forceRecreate,
        noRecreate: !flags.recreate,
        removeOrphans: flags.removeOrphans,
        scale: parseScale(flags.scale),
        pull,
        dryRun: flags.dryRun,
        parallel: project.parallelLimit(process.env, flags.parallel),
        onProgress: progressSink(),
      });
      if (flags.dryRun) process.stdout.write(result.text);
      for (const w of result.plan.warnings) process.stderr.write(`warning: ${w}\n`);
    });
}
