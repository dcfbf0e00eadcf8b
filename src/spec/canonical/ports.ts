// `ports` and `expose`. Short port syntax is `[HOST_IP:][HOST[-END]:]CONTAINER[-END][/PROTOCOL]`,
// parsed as the Docker CLI does (go-connections nat.ParsePortSpec): a
// container range gives one entry per port, paired with an equal host range;
// a host range with a single container port stays a range to pick from.

import { isIP } from 'node:net';
import { isMapping, type Mapping, type Node } from '../tree.js';
import { ListBuilder, reorder } from './reshape.js';
import { unresolved, valueError, type Rule, type Site } from './site.js';

const HINT =
  'use [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL], e.g. "80", "8080:80", "127.0.0.1:8080:80", ' +
  '"[::1]:8080:80", "9090-9091:8080-8081" or "53:53/udp"';

const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

/** compose-go's ServicePortConfig field order, which `config` prints. */
const PORT_KEYS = ['name', 'mode', 'host_ip', 'target', 'published', 'protocol', 'app_protocol'];

export interface ShortPort {
  target: number;
  published?: string;
  host_ip?: string;
  protocol: string;
}

class PortSyntax extends Error {}

function parseRange(s: string, what: string): [number, number] {
  const dash = s.indexOf('-');
  const start = portNumber(dash < 0 ? s : s.slice(0, dash), s, what);
  const end = dash < 0 ? start : portNumber(s.slice(dash + 1), s, what);
  if (end < start) throw new PortSyntax(`${what} range "${s}" ends before it starts`);
  return [start, end];
}

function portNumber(p: string, s: string, what: string): number {
  let n = 0;
  for (let i = 0; i < p.length; i++) {
    const d = p.charCodeAt(i) - 48;
    if (d < 0 || d > 9) throw new PortSyntax(`${what} "${s}" is not a port number or range`);
    n = n * 10 + d;
  }
  if (p.length === 0) throw new PortSyntax(`${what} "${s}" is not a port number or range`);
  if (n > 65535) throw new PortSyntax(`${what} ${Number(p)} is out of range (0-65535)`);
  return n;
}

/** Parse one short port spec into its entries; throws PortSyntax with what is wrong. */
export function parsePortSpec(spec: string): ShortPort[] {
  const parts = spec.split(':');
  const n = parts.length;
  let container = parts[n - 1]!;
  let hostPort = n >= 2 ? parts[n - 2]! : '';
  let ip = n >= 3 ? parts.slice(0, n - 2).join(':') : '';

  let protocol = 'tcp';
  const slash = container.indexOf('/');
  if (slash >= 0) {
    const proto = container.slice(slash + 1);
    container = container.slice(0, slash);
    if (proto !== '') protocol = proto.toLowerCase();
  }
  if (ip.startsWith('[')) {
    if (!ip.endsWith(']')) throw new PortSyntax(`host IP "${ip}" has an unclosed bracket`);
    ip = ip.slice(1, -1);
  }
  if (ip !== '' && isIP(ip) === 0) throw new PortSyntax(`"${ip}" is not an IP address`);
  if (container === '') throw new PortSyntax('no container port is given');
  const [start, end] = parseRange(container, 'container port');
  let hostStart = 0;
  let hostEnd = 0;
  if (hostPort !== '') [hostStart, hostEnd] = parseRange(hostPort, 'host port');
  if (hostPort !== '' && end - start !== hostEnd - hostStart && end !== start) {
    throw new PortSyntax(
      `the container range ${container} (${end - start + 1} ports) and the host range ${hostPort} ` +
        `(${hostEnd - hostStart + 1} ports) differ in length`,
    );
  }
  if (!PROTOCOLS.has(protocol)) throw new PortSyntax(`protocol "${protocol}" is not tcp, udp or sctp`);

  const out: ShortPort[] = [];
  for (let i = 0; i <= end - start; i++) {
    const p: ShortPort = { target: start + i, protocol };
    if (hostPort !== '') {
      // One container port with a host range: the engine picks a free host port in it.
      p.published = start === end && hostStart !== hostEnd ? `${hostStart}-${hostEnd}` : String(hostStart + i);
    }
    if (ip !== '') p.host_ip = ip;
    out.push(p);
  }
  // compose-go lists a range's entries sorted as "port/proto" text, so
  // 9999 comes after 10000; `config` output follows that order.
  if (out.length > 1) out.sort((a, b) => (String(a.target) < String(b.target) ? -1 : String(a.target) > String(b.target) ? 1 : 0));
  return out;
}

function longFromShort(p: ShortPort): Mapping {
  const m: Mapping = { mode: 'ingress' };
  if (p.host_ip !== undefined) m.host_ip = p.host_ip;
  m.target = p.target;
  if (p.published !== undefined) m.published = p.published;
  m.protocol = p.protocol;
  return m;
}

function targetOf(value: Node, site: Site, i: number): Node {
  if (typeof value === 'string') {
    if (unresolved(site, value)) return value;
    if (/^\d+$/.test(value.trim())) value = Number(value.trim());
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
    throw valueError(site, `port target ${JSON.stringify(value)} is not a port number`, 'use a number from 0 to 65535', i, 'target');
  }
  return value;
}

function completeLongPort(m: Mapping, site: Site, i: number): Mapping {
  if (m.target !== undefined) m.target = targetOf(m.target, site, i);
  if (typeof m.published === 'number') m.published = String(m.published);
  if (m.protocol === undefined) m.protocol = 'tcp';
  if (m.mode === undefined) m.mode = 'ingress';
  return reorder(m, PORT_KEYS);
}

/** The long forms one written entry stands for (a range stands for several). */
function entriesOf(item: Node, site: Site, i: number): Node[] {
  if (isMapping(item)) return [completeLongPort(item, site, i)];
  if (typeof item !== 'string' && typeof item !== 'number') {
    throw valueError(site, `a port is ${item === null ? 'null' : typeof item}`, HINT, i);
  }
  const spec = String(item);
  if (typeof item === 'string' && unresolved(site, item)) return [item];
  try {
    return parsePortSpec(spec).map(longFromShort);
  } catch (e) {
    if (!(e instanceof PortSyntax)) throw e;
    throw valueError(site, `invalid port "${spec}": ${e.message}`, HINT, i);
  }
}

export const ports: Rule = (value, site) => {
  if (!Array.isArray(value)) return value;
  const expanded = value.map((item, i) => entriesOf(item, site, i));
  // Usually one entry stays one entry: rewrite in place, positions stay.
  if (expanded.every((e) => e.length === 1)) {
    for (let i = 0; i < value.length; i++) value[i] = expanded[i]![0]!;
    return value;
  }
  const list = new ListBuilder(value);
  expanded.forEach((entries, i) => {
    for (const e of entries) {
      if (isMapping(e) && e !== value[i]) list.pushMade(e, i);
      else list.push(e, i);
    }
  });
  return list.out;
};

/** `expose` stays short: ports and ranges as text, `80` → "80". */
export const expose: Rule = (value) => {
  if (!Array.isArray(value)) return value;
  for (let i = 0; i < value.length; i++) {
    const v = value[i]!;
    if (typeof v === 'number') value[i] = String(v);
  }
  return value;
};
