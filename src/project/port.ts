// `compose port`: where a container's port is published on the host.

import { GantryError } from '../common/errors.js';
import type { LoadOptions } from '../spec/index.js';
import { serviceContainer } from './containers.js';
import { nameOf, type EngineOptions } from './session.js';
import { openTarget } from './target.js';

export interface PortOptions extends EngineOptions {
  service: string;
  /** The port inside the container. */
  privatePort: number;
  /** `tcp` by default. */
  protocol?: string;
  /** The replica; the lowest-numbered by default. */
  index?: number;
}

export interface PublishedPort {
  /** The host address the port is bound to: `0.0.0.0`, `127.0.0.1`, `::`. */
  host: string;
  port: number;
}

export async function port(load: LoadOptions, opts: PortOptions): Promise<PublishedPort> {
  const protocol = (opts.protocol ?? 'tcp').toLowerCase();
  const { name, engine } = await openTarget(load, opts, [opts.service]);
  const c = await serviceContainer(engine, name, { service: opts.service, index: opts.index, oneoff: true, signal: opts.signal });
  const hit = (c.Ports ?? []).find((p) => p.PrivatePort === opts.privatePort && p.Type === protocol && p.PublicPort);
  if (hit) return { host: hit.IP ?? '', port: hit.PublicPort! };
  const known = [...new Set((c.Ports ?? []).map((p) => `${p.PrivatePort}/${p.Type}`))].sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
  throw new GantryError('engine', `no port ${opts.privatePort}/${protocol} for container ${nameOf(c)}${known.length ? `: ${known.join(', ')}` : ''}`, {
    hint: known.length ? `the container publishes ${known.join(', ')}` : `publish it in the service's ports (e.g. "${opts.privatePort}") and run compose up -d ${opts.service}`,
  });
}
