// The commands as `compose --help` lists them, without loading them: each
// command's module (its flags and its action) is imported only when that
// command runs. Loading all thirty modules was most of a `--help` run.
// test/cli/program-commands.test.ts holds the listing to the real modules.

import type { Command } from 'commander';

type Register = (program: Command) => void;

export interface CommandEntry {
  name: string;
  /** The listing's left column (`config [options] [service...]`) and its description; none for a command not listed yet. */
  listed?: [term: string, description: string];
  load: () => Promise<Register>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'attach', listed: ['attach [options] <service>', "Attach local standard input, output, and error streams to a service's running container"], load: async () => (await import('./commands/attach.js')).registerAttach },
  { name: 'build', listed: ['build [options] [service...]', 'Build or rebuild services'], load: async () => (await import('./commands/build.js')).registerBuild },
  { name: 'commit', listed: ['commit [options] <service> [repository]', "Create a new image from a service container's changes"], load: async () => (await import('./commands/commit.js')).registerCommit },
  { name: 'config', listed: ['config [options] [service...]', 'Parse, resolve and render the compose file in canonical format'], load: async () => (await import('./commands/config.js')).registerConfig },
  { name: 'cp', listed: ['cp [options] <source> <destination>', 'Copy files/folders between a service container and the local filesystem'], load: async () => (await import('./commands/cp.js')).registerCp },
  { name: 'create', listed: ['create [options] [service...]', 'Creates containers for a service'], load: async () => (await import('./commands/create.js')).registerCreate },
  { name: 'down', listed: ['down [options]', 'Stop and remove containers, networks'], load: async () => (await import('./commands/down.js')).registerDown },
  { name: 'engine', listed: ['engine', 'Start, stop and inspect the embedded engine'], load: async () => (await import('./commands/engine.js')).registerEngine },
  { name: 'events', listed: ['events [options] [service...]', 'Receive real time events from containers'], load: async () => (await import('./commands/events.js')).registerEvents },
  { name: 'exec', listed: ['exec [options] <service> <command...>', 'Execute a command in a running container'], load: async () => (await import('./commands/exec.js')).registerExec },
  { name: 'export', listed: ['export [options] <service>', "Export a service container's filesystem as a tar archive"], load: async () => (await import('./commands/export.js')).registerExport },
  { name: 'graph', listed: ['graph [options] [service...]', 'Print the service dependency graph (depends_on, links, network_mode, volumes_from)'], load: async () => (await import('./commands/graph.js')).registerGraph },
  { name: 'images', listed: ['images [options] [service...]', 'List images used by the created containers'], load: async () => (await import('./commands/images.js')).registerImages },
  { name: 'kill', listed: ['kill [options] [service...]', 'Force stop service containers'], load: async () => (await import('./commands/kill.js')).registerKill },
  { name: 'logs', listed: ['logs [options] [service...]', 'View output from containers'], load: async () => (await import('./commands/logs.js')).registerLogs },
  { name: 'ls', listed: ['ls [options]', 'List running compose projects'], load: async () => (await import('./commands/ls.js')).registerLs },
  { name: 'pause', listed: ['pause [options] [service...]', 'Pause services'], load: async () => (await import('./commands/pause.js')).registerPause },
  { name: 'port', listed: ['port [options] <service> <private_port>', 'Print the public port for a port binding'], load: async () => (await import('./commands/port.js')).registerPort },
  { name: 'ps', listed: ['ps [options] [service...]', 'List containers'], load: async () => (await import('./commands/ps.js')).registerPs },
  { name: 'pull', listed: ['pull [options] [service...]', 'Pull service images'], load: async () => (await import('./commands/pull.js')).registerPull },
  { name: 'push', listed: ['push [options] [service...]', 'Push service images'], load: async () => (await import('./commands/push.js')).registerPush },
  { name: 'restart', listed: ['restart [options] [service...]', 'Restart service containers'], load: async () => (await import('./commands/restart.js')).registerRestart },
  { name: 'rm', listed: ['rm [options] [service...]', 'Removes stopped service containers'], load: async () => (await import('./commands/rm.js')).registerRm },
  { name: 'run', listed: ['run [options] <service> [command...]', 'Run a one-off command on a service'], load: async () => (await import('./commands/run.js')).registerRun },
  { name: 'scale', listed: ['scale [options] <service=replicas...>', 'Scale services'], load: async () => (await import('./commands/scale.js')).registerScale },
  { name: 'start', listed: ['start [options] [service...]', 'Start services'], load: async () => (await import('./commands/start.js')).registerStart },
  { name: 'stats', listed: ['stats [options] [service...]', 'Display a live stream of container(s) resource usage statistics'], load: async () => (await import('./commands/stats.js')).registerStats },
  { name: 'stop', listed: ['stop [options] [service...]', 'Stop services'], load: async () => (await import('./commands/stop.js')).registerStop },
  { name: 'top', listed: ['top [service...]', 'Display the running processes'], load: async () => (await import('./commands/top.js')).registerTop },
  { name: 'unpause', listed: ['unpause [options] [service...]', 'Unpause services'], load: async () => (await import('./commands/unpause.js')).registerUnpause },
  { name: 'up', listed: ['up [options] [service...]', 'Create and start containers'], load: async () => (await import('./commands/up.js')).registerUp },
  { name: 'version', listed: ['version [options]', 'Show the gantry version information'], load: async () => (await import('./commands/version.js')).registerVersion },
  { name: 'volumes', listed: ['volumes [options] [service...]', 'List volumes'], load: async () => (await import('./commands/volumes.js')).registerVolumes },
  { name: 'wait', listed: ['wait [options] <service...>', 'Block until containers of all (or specified) services stop'], load: async () => (await import('./commands/wait.js')).registerWait },
  { name: 'watch', listed: ['watch [options] [service...]', 'Watch the build context of services and sync, restart or rebuild them when files change'], load: async () => (await import('./commands/watch.js')).registerWatch },
];

/** Global flags that take a value in the next argument (`-f FILE`), as main.ts declares them. */
const VALUE_FLAGS = new Set(['-f', '--file', '-p', '--project-name', '--project-directory', '--profile', '--env-file', '-H', '--host', '--ansi', '--progress']);

/**
 * The command an argument list runs, found the way commander finds it with
 * positional options: global flags come first, the first operand is the
 * command; `help X` asks for X. Undefined when there is none.
 */
export function commandNameIn(args: readonly string[]): string | undefined {
  let wantsHelp = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return undefined;
    if (a.startsWith('-') && a !== '-') {
      if (VALUE_FLAGS.has(a)) i++; // `--file=x` and `-fx` carry their value
      continue;
    }
    if (a === 'help' && !wantsHelp) {
      wantsHelp = true;
      continue;
    }
    return a;
  }
  return undefined;
}
