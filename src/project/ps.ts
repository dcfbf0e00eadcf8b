// `compose ps`: the project's containers, from one list call.

import { Label } from '../common/labels.js';
import type { ContainerSummary } from '../engine-client/index.js';
import type { LoadOptions } from '../spec/index.js';
import { nameOf, openSession, projectContainers, type EngineOptions } from './session.js';

export interface PsOptions extends EngineOptions {
  all?: boolean;
  services?: string[];
  /** Keep only these states (`running`, `exited`, …). */
  status?: string[];
}

export interface Publisher {
  URL: string;
  TargetPort: number;
  PublishedPort: number;
  Protocol: string;
}

/** docker compose's `ps --format json` row. */
export interface PsRow {
  ID: string;
  Name: string;
  Image: string;
  Command: string;
  Project: string;
  Service: string;
  Created: number;
  State: string;
  Status: string;
  Health: string;
  ExitCode: number;
  Publishers: Publisher[];
}

export async function ps(load: LoadOptions, opts: PsOptions = {}): Promise<PsRow[]> {
  const { project, engine } = await openSession({ ...load, services: opts.services ?? load.services }, opts);
  const list = await projectContainers(engine, project.name, { all: opts.all || Boolean(opts.status?.length), services: opts.services, oneoff: undefined });
  return list.map(toRow).filter((r) => !opts.status?.length || opts.status.includes(r.State));
}

function toRow(c: ContainerSummary): PsRow {
  const health = /\((healthy|unhealthy|health: starting)\)/.exec(c.Status)?.[1]?.replace('health: ', '') ?? '';
  const exit = /^Exited \((\d+)\)/.exec(c.Status);
  return {
    ID: c.Id,
    Name: nameOf(c),
    Image: c.Image,
    Command: c.Command,
    Project: c.Labels[Label.project] ?? '',
    Service: c.Labels[Label.service] ?? '',
    Created: c.Created,
    State: c.State,
    Status: c.Status,
    Health: health,
    ExitCode: exit ? Number(exit[1]) : 0,
    Publishers: (c.Ports ?? []).filter((p) => p.PublicPort).map((p) => ({ URL: p.IP ?? '', TargetPort: p.PrivatePort, PublishedPort: p.PublicPort!, Protocol: p.Type })),
  };
}
