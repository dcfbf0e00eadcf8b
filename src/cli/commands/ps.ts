// `compose ps`: list the project's containers.
import type { Command } from 'commander';
import { GantryError } from '../../common/errors.js';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { table } from '../render/table.js';

interface PsFlags {
  all?: boolean;
  quiet?: boolean;
  services?: boolean;
  status: string[];
  filter: string[];
  format: string;
}

const collect = (v: string, p: string[]) => [...p, v];

export function registerPs(program: Command): void {
  program
    .command('ps')
    .description('List containers')
    .argument('[service...]', 'only these services')
    .option('-a, --all', 'show all containers, including stopped ones')
    .option('-q, --quiet', 'only display IDs')
    .option('--services', 'display services')
    .option('--status <status>', 'filter by status (repeatable): running, exited, paused, restarting, created, dead', collect, [])
    .option('--filter <key=value>', 'filter by a property (status=...)', collect, [])
    .option('--format <format>', 'table or json', 'table')
    .action(async (services: string[], flags: PsFlags, cmd: Command) => {
      const status = [...flags.status];
      for (const f of flags.filter) {
        const m = /^status=(.+)$/.exec(f);
        if (!m) throw new GantryError('usage', `unsupported filter "${f}"`, { hint: 'use --filter status=running (or --status running)' });
        status.push(m[1]!);
      }
      if (flags.format !== 'table' && flags.format !== 'json') throw new GantryError('usage', `unsupported format "${flags.format}"`, { hint: 'use --format table or --format json' });
      const project = await import('../../project/index.js');
      const rows = await project.ps(loadOptionsFrom(cmd), { ...engineOptionsFrom(cmd), all: flags.all, services: services.length ? services : undefined, status });
      if (flags.quiet) return void process.stdout.write(rows.map((r) => r.ID + '\n').join(''));
      if (flags.services) return void process.stdout.write([...new Set(rows.map((r) => r.Service))].map((s) => s + '\n').join(''));
      if (flags.format === 'json') return void process.stdout.write(rows.map((r) => JSON.stringify(r) + '\n').join(''));
      process.stdout.write(
        table(
          ['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'],
          rows.map((r) => [r.Name, r.Image, JSON.stringify(r.Command.length > 20 ? `${r.Command.slice(0, 19)}…` : r.Command), r.Service, ago(r.Created), r.Status, ports(r.Publishers)]),
        ),
      );
    });
}

function ago(created: number): string {
  const s = Math.max(0, Math.floor(Date.now() / 1000 - created));
  if (s < 60) return `${s} seconds ago`;
  if (s < 3600) return `${Math.floor(s / 60)} minutes ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} hours ago`;
  return `${Math.floor(s / 86400)} days ago`;
}

function ports(p: { URL: string; TargetPort: number; PublishedPort: number; Protocol: string }[]): string {
  return p.map((x) => `${x.URL.includes(':') ? `[${x.URL}]` : x.URL}:${x.PublishedPort}->${x.TargetPort}/${x.Protocol}`).join(', ');
}
