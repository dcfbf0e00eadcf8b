// Grouping the engine's containers by the compose labels on them.

import { Label } from '../common/labels.js';
import type { ObservedContainer } from './types.js';

export function containerNumber(c: ObservedContainer): number {
  return Number(c.labels[Label.containerNumber] ?? 0);
}

export function isOneOff(c: ObservedContainer): boolean {
  return (c.labels[Label.oneoff] ?? 'False') === 'True';
}

/** The project's service replicas (not one-off `run` containers), by service, lowest number first. */
export function replicasByService(containers: ObservedContainer[], project: string): Map<string, ObservedContainer[]> {
  const out = new Map<string, ObservedContainer[]>();
  for (const c of containers) {
    if (c.labels[Label.project] !== project || isOneOff(c)) continue;
    const service = c.labels[Label.service] ?? '';
    const list = out.get(service);
    if (list) list.push(c);
    else out.set(service, [c]);
  }
  for (const list of out.values()) list.sort((a, b) => containerNumber(a) - containerNumber(b));
  return out;
}
