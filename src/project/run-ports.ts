// `run -p` values, as docker writes them: `[[ip:]host:]container[/protocol]`,
// with port ranges on both sides (`8000-8001:80-81`), into the engine's
// ExposedPorts and PortBindings.

import { GantryError } from '../common/errors.js';

export interface PortPublication {
  exposed: Record<string, object>;
  bindings: Record<string, { HostIp: string; HostPort: string }[]>;
}

const SPEC = /^(?:(?:(\[[0-9a-fA-F:]+\]|[0-9.]+|[a-zA-Z0-9.-]+):)?(\d+(?:-\d+)?)?:)?(\d+(?:-\d+)?)(?:\/(tcp|udp|sctp))?$/;

export function publishedPorts(specs: string[]): PortPublication {
  const out: PortPublication = { exposed: {}, bindings: {} };
  for (const spec of specs) {
    const m = SPEC.exec(spec);
    if (!m) throw new GantryError('usage', `invalid port "${spec}"`, { hint: 'write [[IP:]HOST:]CONTAINER[/PROTOCOL], e.g. -p 8080:80 or -p 127.0.0.1::80/udp' });
    const ip = (m[1] ?? '').replace(/^\[|\]$/g, '');
    const containers = range(m[3]!, spec);
    const hosts = m[2] ? range(m[2], spec) : undefined;
    if (hosts && hosts.length !== containers.length && hosts.length !== 1) {
      throw new GantryError('usage', `invalid port "${spec}": the host range and the container range differ in size`);
    }
    containers.forEach((port, i) => {
      const key = `${port}/${m[4] ?? 'tcp'}`;
      out.exposed[key] = {};
      const host = hosts ? String(hosts.length === 1 ? hosts[0] : hosts[i]) : '';
      (out.bindings[key] ??= []).push({ HostIp: ip, HostPort: host });
    });
  }
  return out;
}

function range(text: string, spec: string): number[] {
  const [a, b] = text.split('-').map(Number) as [number, number | undefined];
  const end = b ?? a;
  if (a < 0 || end > 65535 || end < a) throw new GantryError('usage', `invalid port range "${text}" in "${spec}"`);
  return Array.from({ length: end - a + 1 }, (_, i) => a + i);
}
