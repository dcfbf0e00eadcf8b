// `compose up`: create and start containers; attached (the default), stream
// their output until they exit or Ctrl-C stops them.
import { Option, type Command } from 'commander';
import { GantryError } from '../../common/errors.js';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { LineWriter } from '../render/line-writer.js';
import { LogPrefixes } from '../render/log-prefix.js';
import { progressView, type ProgressView } from '../render/progress.js';
import { colorFor } from '../style.js';
import type { PullPolicy, UpOptions } from '../../project/index.js';

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
  attach: string[];
  noAttach: string[];
  attachDependencies?: boolean;
  abortOnContainerExit?: boolean;
  abortOnContainerFailure?: boolean;
  exitCodeFrom?: string;
  wait?: boolean;
  waitTimeout?: string;
  build?: boolean;
  pull?: string;
  color: boolean;
  logPrefix: boolean;
  timestamps?: boolean;
  watch?: boolean;
}

const repeat = (v: string, p: string[]) => [...p, v];

export function registerUp(program: Command): void {
  // `--no-attach SERVICE` takes a value: it is its own option, not the negation of --attach.
  const noAttach = new Option('--no-attach <service>', 'do not stream this service\'s output (repeatable)').argParser(repeat).default([]);
  noAttach.negate = false;
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
    .option('--scale <service=n>', 'scale a service (repeatable)', repeat, [])
    .option('-t, --timeout <seconds>', 'shutdown timeout for containers being replaced or stopped')
    .option('--parallel <n>', 'at most this many services at once (-1: unlimited; also COMPOSE_PARALLEL_LIMIT)')
    .option('--attach <service>', 'stream only this service\'s output (repeatable)', repeat, [])
    .addOption(noAttach)
    .option('--attach-dependencies', 'also stream the output of dependencies')
    .option('--abort-on-container-exit', 'stop all containers if any container stops')
    .option('--abort-on-container-failure', 'stop all containers if any container exits with a non-zero code')
    .option('--exit-code-from <service>', 'exit with this service\'s exit code (implies --abort-on-container-exit)')
    .option('--wait', 'wait for services to be running and healthy (implies --detach)')
    .option('--wait-timeout <seconds>', 'give up --wait after this many seconds')
    .option('--build', 'build images before starting containers')
    .option('--no-build', 'do not build images, even when missing')
    .option('--pull <policy>', 'pull images before running: always, missing, never')
    .option('--no-color', 'produce monochrome output')
    .option('--no-log-prefix', 'do not print the prefix in logs')
    .option('--timestamps', 'show timestamps')
    .option('-w, --watch', 'watch the services\' develop.watch paths and sync, restart or rebuild while attached')
    .action(async (services: string[], flags: UpFlags, cmd: Command) => {
      const detached = Boolean(flags.detach || flags.wait);
      checkCombination(flags, detached);
      const project = await import('../../project/index.js');
      const common: UpOptions = {
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
        pull: pullPolicy(flags.pull),
        build: flags.build,
      };
      const view = await progressView();
      if (detached || flags.dryRun) {
        try {
          const result = await project.up(loadOptionsFrom(cmd), { ...common, onProgress: view.sink, wait: flags.wait, waitTimeout: flags.waitTimeout === undefined ? undefined : seconds(flags.waitTimeout) });
          await view.end();
          if (flags.dryRun) process.stdout.write(result.text);
          for (const w of result.plan.warnings) process.stderr.write(`warning: ${w}\n`);
        } finally {
          await view.end();
        }
        return;
      }
      process.exitCode = await attached(cmd, common, flags, view);
    });
}

/** Attached up: logs to stdout, progress and stop notices to stderr; the exit code `up` ends with. */
async function attached(cmd: Command, common: UpOptions, flags: UpFlags, firstView: ProgressView): Promise<number> {
  const project = await import('../../project/index.js');
  const stop = new AbortController();
  const kill = new AbortController();
  // Ctrl-C stops the group rather than leaving it running: this command owns SIGINT until it returns.
  const inherited = process.listeners('SIGINT');
  process.removeAllListeners('SIGINT');
  const onSigint = () => {
    if (!stop.signal.aborted) {
      process.stderr.write('Gracefully stopping... (press Ctrl+C again to force)\n');
      stop.abort();
    } else kill.abort();
  };
  process.on('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);

  let view = firstView;
  let viewOpen = true;
  const closeView = async () => {
    if (viewOpen) {
      viewOpen = false;
      await view.end();
    }
  };
  const prefixes = flags.logPrefix ? new LogPrefixes(flags.color && colorFor(process.stdout)) : undefined;
  const writer = new LineWriter(process.stdout);
  // --watch: watching starts at once; its actions wait until the attached up has its containers running (its first log source, or its end).
  let upRunning = () => {};
  const running = new Promise<void>((resolve) => (upRunning = resolve));
  let watching: { close(): Promise<void> } | undefined;
  try {
    watching = flags.watch ? await startWatch(cmd, common, running, writer) : undefined;
    const result = await project.upAttached(loadOptionsFrom(cmd), {
      ...common,
      attach: flags.attach.length ? flags.attach : undefined,
      noAttach: flags.noAttach.length ? flags.noAttach : undefined,
      attachDependencies: flags.attachDependencies,
      abortOnContainerExit: flags.abortOnContainerExit,
      abortOnContainerFailure: flags.abortOnContainerFailure,
      exitCodeFrom: flags.exitCodeFrom,
      timestamps: flags.timestamps,
      stopSignal: stop.signal,
      killSignal: kill.signal,
      onProgress: (e) => view.sink(e),
      onSource: (s) => {
        upRunning();
        prefixes?.add([s]);
      },
      onLine: async (l) => {
        await closeView();
        const text = `${prefixes ? prefixes.prefix(l.source, l.service) : ''}${l.timestamp ? `${l.timestamp} ` : ''}${l.line}\n`;
        const wait = writer.write(text);
        if (wait) await wait;
      },
      onExit: (e) => {
        void writer.write(`${shortSource(e.name, e.service)} exited with code ${e.exitCode}\n`);
      },
      onStopping: (reason) => {
        if (reason.kind === 'exit') process.stderr.write(`Aborting on container exit...\n`);
        // The stop's rows get a fresh view below the logs.
        void closeView().then(async () => {
          view = await progressView();
          viewOpen = true;
        });
      },
    });
    await writer.end();
    for (const w of result.plan.warnings) process.stderr.write(`warning: ${w}\n`);
    if (flags.dryRun) process.stdout.write(result.text);
    return result.exitCode;
  } finally {
    upRunning();
    await watching?.close();
    await closeView();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    for (const l of inherited) process.on('SIGINT', l as () => void);
  }
}

async function startWatch(cmd: Command, common: UpOptions, running: Promise<void>, writer: LineWriter) {
  const project = await import('../../project/index.js');
  const { eventLine } = await import('./watch.js');
  return project.watch(loadOptionsFrom(cmd), {
    ...engineOptionsFrom(cmd),
    services: common.services,
    noUp: true,
    startAfter: running,
    onEvent: (e) => {
      const line = eventLine(e);
      if (line) void writer.write(`${line.text}\n`);
    },
  });
}

/** `web-1` from `proj-web-1`: the name the log prefixes use. */
function shortSource(name: string, service: string): string {
  const at = name.lastIndexOf(`-${service}-`);
  return at > 0 ? name.slice(at + 1) : name;
}

function checkCombination(flags: UpFlags, detached: boolean): void {
  const aborts = flags.abortOnContainerExit || flags.abortOnContainerFailure || flags.exitCodeFrom !== undefined;
  if (detached && aborts) {
    throw new GantryError('usage', '--abort-on-container-exit, --abort-on-container-failure and --exit-code-from need an attached up', { hint: 'drop -d/--wait' });
  }
  if (flags.abortOnContainerExit && flags.abortOnContainerFailure) {
    throw new GantryError('usage', '--abort-on-container-exit and --abort-on-container-failure cannot be used together', { hint: 'choose one' });
  }
  if (flags.watch && (detached || flags.dryRun)) {
    throw new GantryError('usage', '--watch needs an attached up', { hint: 'drop -d/--wait/--dry-run, or run compose watch' });
  }
  if (flags.waitTimeout !== undefined && !flags.wait) {
    throw new GantryError('usage', '--wait-timeout needs --wait', { hint: 'compose up --wait --wait-timeout 60' });
  }
}

export function pullPolicy(v: string | undefined): PullPolicy | undefined {
  if (v === undefined) return undefined;
  if (v === 'always' || v === 'missing' || v === 'never') return v;
  if (v === 'if_not_present') return 'missing';
  throw new GantryError('usage', `invalid --pull value "${v}"`, { hint: 'use always, missing or never' });
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
