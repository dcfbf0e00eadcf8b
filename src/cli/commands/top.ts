// `compose top`: the processes of the project's running containers, one table.
import type { Command } from 'commander';
import type { ContainerProcesses } from '../../project/index.js';
import { engineOptionsFrom, loadOptionsFrom } from '../load-options.js';
import { table } from '../render/table.js';

export function registerTop(program: Command): void {
  program
    .command('top')
    .description('Display the running processes')
    .argument('[service...]', 'only these services')
    .action(async (services: string[], _flags: unknown, cmd: Command) => {
      const project = await import('../../project/index.js');
      const containers = await project.top(loadOptionsFrom(cmd), { ...engineOptionsFrom(cmd), services: services.length ? services : undefined });
      process.stdout.write(topTable(containers));
    });
}

/** docker compose's layout: SERVICE, #, then ps's columns with CMD moved last; `-` where a container lacks a column. */
export function topTable(containers: ContainerProcesses[]): string {
  const titles: string[] = [];
  for (const c of containers) for (const t of c.titles) if (!titles.includes(t)) titles.push(t);
  const cmd = titles.indexOf('CMD');
  if (cmd >= 0) titles.push(...titles.splice(cmd, 1));
  const rows: string[][] = [];
  for (const c of containers) {
    for (const proc of c.processes) {
      const value = (t: string) => {
        const i = c.titles.indexOf(t);
        return i >= 0 ? (proc[i] ?? '') : '-';
      };
      rows.push([c.service, c.replica, ...titles.map(value)]);
    }
  }
  if (rows.length === 0) return '';
  return table(['SERVICE', '#', ...titles], rows, { padding: 2, minWidth: 4 });
}
