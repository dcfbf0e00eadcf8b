// `compose port`: the host address and port a service's container port is published on.
import type { Command } from 'commander';
import { GantryError } from '../../common/errors.js';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { replicaIndex } from './logs.js';

export function registerPort(program: Command): void {
  program
    .command('port')
    .description('Print the public port for a port binding')
    .argument('<service>', 'the service')
    .argument('<private_port>', 'the port inside the container (80, or 53/udp)')
    .option('--protocol <protocol>', 'tcp or udp', 'tcp')
    .option('--index <n>', 'index of the container if the service has several replicas')
    .action(async (service: string, privatePort: string, flags: { protocol: string; index?: string }, cmd: Command) => {
      const { port, protocol } = parsePrivatePort(privatePort, flags.protocol);
      const project = await import('../../project/index.js');
      const published = await project.port(loadOptionsFrom(cmd), {
        ...engineOptionsFrom(cmd),
        service,
        privatePort: port,
        protocol,
        index: flags.index === undefined ? undefined : replicaIndex(flags.index),
      });
      process.stdout.write(`${published.host}:${published.port}\n`);
    });
}

export function parsePrivatePort(value: string, protocol: string): { port: number; protocol: string } {
  const m = /^(\d+)(?:\/(tcp|udp|sctp))?$/i.exec(value);
  const port = m ? Number(m[1]) : NaN;
  if (!m || port < 1 || port > 65535) throw new GantryError('usage', `invalid port "${value}"`, { hint: 'give the container port, 1-65535, e.g. 80 or 53/udp' });
  const p = (m[2] ?? protocol).toLowerCase();
  if (!['tcp', 'udp', 'sctp'].includes(p)) throw new GantryError('usage', `invalid protocol "${protocol}"`, { hint: 'use --protocol tcp or --protocol udp' });
  return { port, protocol: p };
}
