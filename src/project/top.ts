// `compose top`: the processes running in each of the project's running
// containers, one `top` call per container, all at once.

import { Label } from '../common/labels.js';
import type { LoadOptions } from '../spec/index.js';
import { serviceOf } from './containers.js';
import { nameOf, type EngineOptions } from './session.js';
import { openTarget } from './target.js';

export interface TopOptions extends EngineOptions {
  services?: string[];
  /** Arguments for ps inside the engine (`-ef` by default there). */
  psArgs?: string;
}

export interface ContainerProcesses {
  id: string;
  /** `app-web-1`. */
  name: string;
  service: string;
  /** The container number, as text: `1`. */
  replica: string;
  /** ps's column titles: UID, PID, PPID, C, STIME, TTY, TIME, CMD. */
  titles: string[];
  processes: string[][];
}

export async function top(load: LoadOptions, opts: TopOptions = {}): Promise<ContainerProcesses[]> {
  const named = opts.services ?? [];
  const { name, engine } = await openTarget(load, opts, named);
  const label = [`${Label.project}=${name}`];
  if (named.length === 1) label.push(`${Label.service}=${named[0]}`);
  const wanted = new Set(named);
  const running = (await engine.containers.list({ filters: { label }, signal: opts.signal })).filter((c) => wanted.size === 0 || wanted.has(serviceOf(c)));
  const result = await Promise.all(
    running.map(async (c) => {
      const t = await engine.containers.top(c.Id, { psArgs: opts.psArgs });
      return {
        id: c.Id,
        name: nameOf(c),
        service: serviceOf(c) || nameOf(c),
        replica: c.Labels[Label.containerNumber] ?? '',
        titles: t.Titles ?? [],
        processes: t.Processes ?? [],
      };
    }),
  );
  return result.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
