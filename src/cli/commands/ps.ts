// `compose ps`: list the project's containers.
import type { Command } from 'commander';
import { GantryError } from '../../common/errors.js';
import type { PsRow } from '../../project/index.js';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { ago } from '../render/human.js';
import { displayPorts } from '../render/ports.js';
import { table } from '../render/table.js';

interface PsFlags {
  all?: boolean;
  quiet?: boolean;
  services?: boolean;
  status: string[];
  filter: string[];
  format: string;
  trunc: boolean;
  orphans: boolean;
}

const collect = (v: string, p: string[]) => [...p, v];

export function registerPs(program: Command): void {
  program
    .command('ps')
    .description('List containers')
    .argument('[service...]', 'only these services')
    .option('-a, --all', 'show all containers, including stopped ones and those created by run')
    .option('-q, --quiet', 'only display IDs')
    .option('--services', 'display services')
    .option('--status <status>', 'filter by status (repeatable): paused, restarting, removing, running, dead, created, exited', collect, [])
    .option('--filter <key=value>', 'filter by a property (supported: status)', collect, [])
    .option('--format <format>', 'table or json', 'table')
    .option('--no-trunc', 'do not truncate output')
    .option('--no-orphans', 'leave out containers of services the compose file does not declare')
    .action(async (services: string[], flags: PsFlags, cmd: Command) => {
      const status = [...flags.status];
      for (const f of flags.filter) {
        const eq = f.indexOf('=');
        if (eq < 0) throw new GantryError('usage', `invalid --filter "${f}"`, { hint: 'write KEY=VALUE, e.g. --filter status=running' });
        if (f.slice(0, eq) !== 'status') throw new GantryError('usage', `unknown filter "${f.slice(0, eq)}"`, { hint: 'the supported filter is status, e.g. --filter status=running' });
        status.push(f.slice(eq + 1));
      }
      if (flags.format !== 'table' && flags.format !== 'json') throw new GantryError('usage', `unsupported format "${flags.format}"`, { hint: 'use --format table or --format json' });
      const project = await import('../../project/index.js');
      const rows = await project.ps(loadOptionsFrom(cmd), {
        ...engineOptionsFrom(cmd),
        all: flags.all,
        services: services.length ? services : undefined,
        status,
        orphans: flags.orphans,
      });
      const out = process.stdout;
      if (flags.quiet) return void out.write(rows.map((r) => r.ID + '\n').join(''));
      if (flags.services) return void out.write([...new Set(rows.map((r) => r.Service))].map((s) => s + '\n').join(''));
      if (flags.format === 'json') return void out.write(rows.map((r) => JSON.stringify(psJson(r, flags.trunc)) + '\n').join(''));
      out.write(
        table(
          ['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'],
          rows.map((r) => [r.Name, r.Image, command(r.Command, flags.trunc), r.Service, ago(r.Created), r.Status, displayPorts(r.Publishers)]),
          { padding: 3, minWidth: 10 },
        ),
      );
    });
}

/** docker compose's `ps --format json` object, fields in its (alphabetical) order. */
export function psJson(r: PsRow, trunc = true, now = Date.now()): Record<string, unknown> {
  return {
    Command: command(r.Command, trunc),
    Created: r.Created,
    CreatedAt: goTime(r.Created),
    ExitCode: r.ExitCode,
    Health: r.Health,
    ID: trunc ? r.ID.slice(0, 12) : r.ID,
    Image: r.Image,
    Labels: Object.entries(r.Labels).map(([k, v]) => `${k}=${v}`).join(','),
    LocalVolumes: String(r.LocalVolumes),
    Mounts: r.Mounts.join(','),
    Name: r.Name,
    Names: r.Names.join(','),
    Networks: r.Networks.join(','),
    Ports: displayPorts(r.Publishers),
    Project: r.Project,
    Publishers: r.Publishers,
    RunningFor: ago(r.Created, now),
    Service: r.Service,
    Size: '0B',
    State: r.State,
    Status: r.Status,
  };
}

/** The command quoted, and cut to 20 characters unless --no-trunc, as docker shows it. */
function command(c: string, trunc: boolean): string {
  const chars = [...c];
  return JSON.stringify(trunc && chars.length > 20 ? `${chars.slice(0, 19).join('')}…` : c);
}

/** Go's time.Time String() in UTC: `2024-05-01 10:00:00 +0000 UTC`. */
function goTime(unixSeconds: number): string {
  return `${new Date(unixSeconds * 1000).toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}
