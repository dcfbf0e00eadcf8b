// What start, stop, restart, kill, pause and unpause share on the command
// line: the services named, --dry-run and --parallel, and the progress lines.
import type { Command } from 'commander';
import type { LifecycleOptions } from '../../project/index.js';
import { engineOptionsFrom } from '../load-options.js';
import { progressSink } from '../render/progress.js';
import { plainProgress } from '../render/progress-lines.js';

export interface LifecycleFlags {
  dryRun?: boolean;
  parallel?: string;
}

export function withLifecycleFlags(cmd: Command): Command {
  return cmd
    .argument('[service...]', 'only these services (default: all)')
    .option('--dry-run', 'show what would be done, change nothing')
    .option('--parallel <n>', 'at most this many services at once (-1: unlimited; also COMPOSE_PARALLEL_LIMIT)');
}

export async function lifecycleOptions(services: string[], flags: LifecycleFlags, cmd: Command): Promise<LifecycleOptions> {
  const project = await import('../../project/index.js');
  return {
    ...engineOptionsFrom(cmd),
    services: services.length ? services : undefined,
    dryRun: flags.dryRun,
    parallel: project.parallelLimit(process.env, flags.parallel),
    onProgress: flags.dryRun ? dryRunProgress() : progressSink(),
  };
}

/** Dry-run lines say so, as docker compose's do. */
function dryRunProgress(): ReturnType<typeof plainProgress> {
  const lines = plainProgress({ write: (s: string) => process.stderr.write(`DRY-RUN MODE - ${s.replace(/^ /, '')}`) } as NodeJS.WritableStream);
  return lines;
}
