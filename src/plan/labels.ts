// The labels a new container carries: docker compose's, so `docker compose ps`
// sees gantry's containers, plus per-field digests so a later plan can say
// which field changed.

import { Label } from '../common/labels.js';
import { serviceConfigHash, serviceFieldDigests } from '../spec/hash.js';
import type { Project, ServiceConfig } from '../spec/types.js';

export const COMPOSE_VERSION = '2.29.0';

export function encodeDigests(d: Record<string, string>): string {
  return Object.entries(d).map(([k, v]) => `${k}=${v}`).join(',');
}

export function decodeDigests(s: string | undefined): Record<string, string> | undefined {
  if (!s) return undefined;
  const out: Record<string, string> = {};
  for (const part of s.split(',')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

export function containerLabels(project: Project, service: ServiceConfig, number: number, oneoff = false): Record<string, string> {
  const deps = Object.entries(service.depends_on ?? {}).map(([n, d]) => `${n}:${d.condition}:${d.restart === true}`);
  return {
    [Label.project]: project.name,
    [Label.service]: service.name,
    [Label.containerNumber]: String(number),
    [Label.oneoff]: oneoff ? 'True' : 'False',
    [Label.configHash]: serviceConfigHash(service),
    [Label.fieldDigests]: encodeDigests(serviceFieldDigests(service)),
    [Label.dependsOn]: deps.join(','),
    [Label.image]: service.image ?? `${project.name}-${service.name}`,
    [Label.workingDir]: project.workingDir,
    [Label.configFiles]: project.configFiles.join(','),
    [Label.version]: COMPOSE_VERSION,
  };
}
