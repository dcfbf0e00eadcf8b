// `compose up`: create and start the project's containers.
import type { Command } from 'commander';
import { GantryError } from '../../common/errors.js';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { plainProgress } from '../render/progress-lines.js';

interface UpFlags {
  detach?: boolean;
  dryRun?: boolean;
  deps: boolean;
  forceRecreate?: boolean;
  recreate: boolean;
  alwaysRecreateDeps?: boolean;
  removeOrphans?: boolean;
  start: boolean;
  scale: string[];
  timeout?: string;
  parallel?: string;
}

export function registerUp(program: Command): void {
  program
    .command('up')
    .description('Create and start containers')
    .argument('[service...]', 'services to start (with their dependencies)')
    .option('-d, --detach', 'run containers in the background')
    .option('--dry-run', 'print the plan instead of executing it')
    .option('--no-deps', 'do not start linked services')
    .option('--force-recreate', 'recreate containers even if their configuration has not changed')
    .option('--no-recreate', 'do not recreate containers that exist')
    .option('--always-recreate-deps', 'recreate dependent containers')
    .option('--remove-orphans', 'remove containers of services not in the compose file')
    .option('--no-start', 'create but do not start')
    .option('--scale <service=n>', 'scale a service (repeatable)', (v: string, p: string[]) => [...p, v], [])
    .option('-t, --timeout <seconds>', 'shutdown timeout for containers being replaced')
    .option('--parallel <n>', 'at most this many services at once (-1: unlimited; also COMPOSE_PARALLEL_LIMIT)')
    .action(async (services: string[], flags: UpFlags, cmd: Command) => {
      if (!flags.detach && !flags.dryRun) {
        throw new GantryError('usage', 'attached "up" (streaming logs) is not built yet', { hint: 'use compose up -d, then compose logs' });
      }
      const project = await import('../../project/index.js');
      const result = await project.up(loadOptionsFrom(cmd), {
        ...engineOptionsFrom(cmd),
        services: services.length ? services : undefined,
        dryRun: flags.dryRun,
        noDeps: !flags.deps,
        forceRecreate: flags.forceRecreate,
        noRecreate: !flags.recreate,
        alwaysRecreateDeps: flags.alwaysRecreateDeps,
        removeOrphans: flags.removeOrphans,
        noStart: !flags.start,
        scale: parseScale(flags.scale),
        timeout: flags.timeout === undefined ? undefined : seconds(flags.timeout),
        parallel: project.parallelLimit(process.env, flags.parallel),
        onProgress: plainProgress(),
      });
      if (flags.dryRun) process.stdout.write(result.text);
      for (const w of result.plan.warnings) process.stderr.write(`warning: ${w}\n`);
    });
}

export function parseScale(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) {
    const m = /^([a-zA-Z0-9._-]+)=(\d+)$/.exec(v);
    if (!m) throw new GantryError('usage', `invalid --scale value "${v}"`, { hint: 'write SERVICE=NUMBER, e.g. --scale web=3' });
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

export function seconds(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new GantryError('usage', `invalid timeout "${v}"`, { hint: 'give whole seconds, e.g. -t 10' });
  return n;
}
