// `compose attach`: the terminal joined to a service container's main process.
import type { Command } from 'commander';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { attachTerminal } from '../terminal.js';
import { replicaIndex } from './logs.js';

export function registerAttach(program: Command): void {
  program
    .command('attach')
    .description("Attach local standard input, output, and error streams to a service's running container")
    .argument('<service>', 'the service')
    .option('--detach-keys <keys>', 'override the key sequence for detaching from a container')
    .option('--index <n>', 'index of the container if the service has several replicas')
    .option('--no-stdin', 'do not attach STDIN')
    .option('--sig-proxy', 'proxy all received signals to the process (default)', true)
    .option('--no-sig-proxy', 'do not proxy signals to the process')
    .action(async (service: string, flags: { detachKeys?: string; index?: string; stdin: boolean; sigProxy: boolean }, cmd: Command) => {
      const project = await import('../../project/index.js');
      const proc = await project.attach(loadOptionsFrom(cmd), {
        ...engineOptionsFrom(cmd),
        service,
        index: flags.index === undefined ? undefined : replicaIndex(flags.index),
        noStdin: !flags.stdin,
        detachKeys: flags.detachKeys,
      });
      const tty = proc.tty && Boolean(process.stdin.isTTY) && Boolean(process.stdout.isTTY);
      // Without a TTY, Ctrl-C reaches us, not the container: pass it on, as docker does.
      const proxied = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'] as const;
      const forward = (signal: NodeJS.Signals) => void proc.kill(signal).catch(() => {});
      if (flags.sigProxy && !tty) for (const s of proxied) process.on(s, forward);
      try {
        if (tty) await proc.resize({ height: process.stdout.rows, width: process.stdout.columns }).catch(() => {});
        process.exitCode = await attachTerminal(proc, tty);
      } finally {
        for (const s of proxied) process.off(s, forward);
      }
    });
}
