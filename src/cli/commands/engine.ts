// `compose engine start|stop|status|logs`: the embedded engine as a service.
import { spawn } from 'node:child_process';
import type { Command } from 'commander';

interface EngineFlags {
  socket?: string;
  dataRoot?: string;
  runtime?: string;
}

const withEngineFlags = (c: Command) =>
  c
    .option('--socket <path>', 'the API socket', '/run/gantry/engine.sock')
    .option('--data-root <dir>', 'where the engine keeps its state', '/var/lib/gantry');

export function registerEngine(program: Command): void {
  const engine = program.command('engine').description('Start, stop and inspect the embedded engine');

  withEngineFlags(engine.command('start'))
    .description('Start the engine in the background (or in the foreground with --foreground)')
    .option('--foreground', 'run in this process until interrupted')
    .option('--runtime <name>', 'OCI runtime: crun, runc, or a path (default: the first that works here)')
    .action(async (flags: EngineFlags & { foreground?: boolean }) => {
      if (flags.foreground) {
        // The engine is its own program: run it here, attached to this terminal.
        const project = await import('../../project/index.js');
        const args = [project.engineEntryPoint(), '--socket', flags.socket!, '--data-root', flags.dataRoot!, '--log-file', '/dev/stderr'];
        if (flags.runtime) args.push('--runtime', flags.runtime);
        const child = spawn(process.execPath, args, { stdio: 'inherit' });
        const forward = (signal: NodeJS.Signals) => child.kill(signal);
        process.on('SIGINT', forward);
        process.on('SIGTERM', forward);
        await new Promise<void>((resolve) => child.on('exit', (code) => ((process.exitCode = code ?? 0), resolve())));
        return;
      }
      const project = await import('../../project/index.js');
      const r = await project.engineStart({ socketPath: flags.socket, dataRoot: flags.dataRoot, runtime: flags.runtime });
      process.stdout.write(r.started ? `engine started (pid ${r.pid}) on ${flags.socket}\n` : `engine already running${r.pid ? ` (pid ${r.pid})` : ''} on ${flags.socket}\n`);
    });

  withEngineFlags(engine.command('stop'))
    .description('Stop the engine (containers keep running and are found again at the next start)')
    .action(async (flags: EngineFlags) => {
      const project = await import('../../project/index.js');
      const r = await project.engineStop({ dataRoot: flags.dataRoot });
      process.stdout.write(r.stopped ? `engine stopped (pid ${r.pid})\n` : 'engine is not running\n');
    });

  withEngineFlags(engine.command('status'))
    .description('Say whether the engine runs, with which OCI runtime and where')
    .option('--format <format>', 'text or json', 'text')
    .action(async (flags: EngineFlags & { format: string }) => {
      const project = await import('../../project/index.js');
      const s = await project.engineStatus({ socketPath: flags.socket, dataRoot: flags.dataRoot });
      if (flags.format === 'json') return void process.stdout.write(JSON.stringify(s) + '\n');
      if (!s.running) {
        process.stdout.write(`engine: not running (socket ${s.socket})\n`);
        process.exitCode = 3;
        return;
      }
      const lines = [
        `engine:     running (pid ${s.pid ?? '?'}), version ${s.version}, API ${s.apiVersion}`,
        `socket:     ${s.socket}`,
        `data root:  ${s.dataRoot}`,
        `runtime:    ${s.runtime} (${s.runtimePath ?? '?'})${s.runtimeNote ? ` — ${s.runtimeNote}` : ''}`,
        `cgroups:    v${s.cgroupVersion ?? '?'}`,
        `containers: ${s.containers} (${s.containersRunning} running), images: ${s.images}`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });

  withEngineFlags(engine.command('logs'))
    .description("Print the engine's own log")
    .option('-f, --follow', 'keep printing new lines')
    .option('-n, --tail <lines>', 'only the last lines', '200')
    .action(async (flags: EngineFlags & { follow?: boolean; tail: string }) => {
      const args = ['-n', flags.tail, ...(flags.follow ? ['-F'] : []), `${flags.dataRoot}/engine.log`];
      const child = spawn('tail', args, { stdio: 'inherit' });
      await new Promise<void>((resolve) => child.on('exit', (code) => ((process.exitCode = code ?? 0), resolve())));
    });
}
