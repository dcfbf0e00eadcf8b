// Published ports as `docker ps` shows them: `0.0.0.0:8080->80/tcp`, runs of
// consecutive ports folded into ranges (`0.0.0.0:8000-8002->8000-8002/tcp`),
// exposed-only ports as `80/tcp`.

export interface PortRow {
  /** Host address; empty for an exposed port that is not published. */
  URL: string;
  TargetPort: number;
  PublishedPort: number;
  Protocol: string;
}

export function displayPorts(ports: readonly PortRow[]): string {
  const sorted = [...ports].sort(
    (a, b) => a.TargetPort - b.TargetPort || cmp(a.URL, b.URL) || a.PublishedPort - b.PublishedPort || cmp(a.Protocol, b.Protocol),
  );
  // A group is a run of ports on one address and protocol, published as themselves.
  const groups = new Map<string, { ip: string; protocol: string; first: number; last: number }>();
  const done: string[] = [];
  const remapped: string[] = [];
  for (const p of sorted) {
    if (p.URL && p.PublishedPort !== p.TargetPort) {
      remapped.push(`${hostPort(p.URL, String(p.PublishedPort))}->${p.TargetPort}/${p.Protocol}`);
      continue;
    }
    const key = `${p.URL}/${p.Protocol}`;
    const g = groups.get(key);
    if (g && p.TargetPort === g.last + 1) {
      g.last = p.TargetPort;
      continue;
    }
    // A finished run is listed now; the next run of the same key keeps the key's place.
    if (g) done.push(formGroup(g));
    groups.set(key, { ip: p.URL, protocol: p.Protocol, first: p.TargetPort, last: p.TargetPort });
  }
  for (const g of groups.values()) done.push(formGroup(g));
  return [...done, ...remapped].join(', ');
}

function formGroup(g: { ip: string; protocol: string; first: number; last: number }): string {
  const range = g.first === g.last ? String(g.first) : `${g.first}-${g.last}`;
  return g.ip ? `${hostPort(g.ip, range)}->${range}/${g.protocol}` : `${range}/${g.protocol}`;
}

/** `0.0.0.0:80`, `[::]:80`. */
function hostPort(ip: string, port: string): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
