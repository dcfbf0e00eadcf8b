// Published ports through a userland proxy in the engine, the way docker's
// docker-proxy does: a TCP listener per host port relaying each connection to
// the container's address (bound here, then handed to a gantry-proxy process
// that copies with splice(2); relayed in Node when that binary is not built), and a UDP socket per host port that keeps one
// session per client address (its own socket to the container) until it has
// been idle for a while. Publishing is all or nothing: when one port cannot
// be bound, every listener opened so far is closed again.

import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { ApiError, badRequest } from '../api/api-error.js';
import { proxyBinaryPath } from './proxy-binary.js';
import { startSpliceRelay } from './proxy-splice.js';

export interface PortBinding {
  HostIp?: string;
  HostPort?: string;
}

/** docker's HostConfig.PortBindings: `"80/tcp"` → bindings. */
export type PortBindings = Record<string, PortBinding[] | null>;

export class PortInUseError extends ApiError {
  constructor(
    readonly hostIp: string,
    readonly hostPort: number,
    readonly proto: string,
  ) {
    super(500, `Bind for ${hostIp}:${hostPort}/${proto} failed: port is already allocated`);
    this.name = 'PortInUseError';
  }
}

interface Wanted {
  containerPort: number;
  proto: 'tcp' | 'udp';
  hostIp: string;
  /** Candidate host ports, tried in order (a host range); [0] means any. */
  hostPorts: number[];
}

export interface ProxyOptions {
  defaultHostIp?: string;
  udpIdleMs?: number;
  /** false: relay TCP in the engine's event loop even when gantry-proxy is built. */
  spliceRelay?: boolean;
}

export class PublishedPorts {
  private readonly closers: Array<() => Promise<void>> = [];
  private readonly relays = new Set<number>();

  private constructor(private readonly relayBinary: string | undefined) {}

  /** Process ids of the splice relays carrying this container's TCP ports (none when relaying in Node). */
  get relayPids(): number[] {
    return [...this.relays];
  }

  /** Opens every binding; the answer has docker's shape, with the host ports actually bound. */
  static async open(bindings: PortBindings, targetIp: string, opts: ProxyOptions = {}): Promise<{ ports: PublishedPorts; bound: Record<string, PortBinding[]> }> {
    const ports = new PublishedPorts(opts.spliceRelay === false ? undefined : proxyBinaryPath());
    const bound: Record<string, PortBinding[]> = {};
    try {
      for (const w of expand(bindings, opts.defaultHostIp ?? '0.0.0.0')) {
        const port = await ports.bindFirst(w, targetIp, opts);
        (bound[`${w.containerPort}/${w.proto}`] ??= []).push({ HostIp: w.hostIp, HostPort: String(port) });
      }
    } catch (e) {
      await ports.close();
      throw e;
    }
    return { ports, bound };
  }

  async close(): Promise<void> {
    const all = this.closers.splice(0);
    await Promise.all(all.map((c) => c()));
  }

  private async bindFirst(w: Wanted, targetIp: string, opts: ProxyOptions): Promise<number> {
    for (let i = 0; i < w.hostPorts.length; i++) {
      try {
        return w.proto === 'tcp' ? await this.tcp(w, w.hostPorts[i]!, targetIp) : await this.udp(w, w.hostPorts[i]!, targetIp, opts.udpIdleMs ?? 30_000);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE' || code === 'EACCES') {
          if (i === w.hostPorts.length - 1) throw new PortInUseError(w.hostIp, w.hostPorts[i]!, w.proto);
          continue;
        }
        if (code === 'EADDRNOTAVAIL') throw badRequest(`cannot publish ${w.hostIp}:${w.hostPorts[i]}/${w.proto}: ${w.hostIp} is not an address of this host`);
        throw e;
      }
    }
    throw badRequest(`no host port given for ${w.containerPort}/${w.proto}`);
  }

  private async tcp(w: Wanted, hostPort: number, targetIp: string): Promise<number> {
    const clients = new Set<Socket>();
    const server: Server = createServer((inbound) => {
      const outbound = connect(w.containerPort, targetIp);
      clients.add(inbound).add(outbound);
      const end = () => {
        inbound.destroy();
        outbound.destroy();
        clients.delete(inbound);
        clients.delete(outbound);
      };
      inbound.on('error', end).on('close', end);
      outbound.on('error', end).on('close', end);
      inbound.pipe(outbound);
      outbound.pipe(inbound);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: hostPort, host: w.hostIp, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const port = (server.address() as { port: number }).port;
    const binary = this.relayBinary;
    const relay = binary ? await startSpliceRelay(binary, server, targetIp, w.containerPort) : undefined;
    if (relay) {
      this.relays.add(relay.pid);
      this.closers.push(async () => {
        await relay.close();
        this.relays.delete(relay.pid);
      });
      // A connection Node accepted before handing the socket over is still
      // relayed here and closed with the port.
      this.closers.push(async () => {
        for (const c of clients) c.destroy();
      });
      return port;
    }
    this.closers.push(
      () =>
        new Promise<void>((resolve) => {
          for (const c of clients) c.destroy();
          server.close(() => resolve());
        }),
    );
    return port;
  }

  private async udp(w: Wanted, hostPort: number, targetIp: string, idleMs: number): Promise<number> {
    const front: UdpSocket = createSocket({ type: w.hostIp.includes(':') ? 'udp6' : 'udp4' });
    const sessions = new Map<string, { sock: UdpSocket; timer: NodeJS.Timeout }>();
    const drop = (key: string) => {
      const s = sessions.get(key);
      if (!s) return;
      clearTimeout(s.timer);
      s.sock.close();
      sessions.delete(key);
    };
    front.on('message', (msg, client) => {
      const key = `${client.address}:${client.port}`;
      let s = sessions.get(key);
      if (!s) {
        const sock = createSocket('udp4');
        sock.on('message', (reply) => {
          front.send(reply, client.port, client.address);
          touch();
        });
        sock.on('error', () => drop(key));
        s = { sock, timer: setTimeout(() => drop(key), idleMs) };
        sessions.set(key, s);
      }
      const session = s;
      function touch() {
        clearTimeout(session.timer);
        session.timer = setTimeout(() => drop(key), idleMs);
      }
      touch();
      session.sock.send(msg, w.containerPort, targetIp);
    });
    await new Promise<void>((resolve, reject) => {
      front.once('error', reject);
      front.bind({ port: hostPort, address: w.hostIp, exclusive: true }, () => {
        front.off('error', reject);
        resolve();
      });
    });
    front.on('error', () => undefined);
    this.closers.push(async () => {
      for (const key of [...sessions.keys()]) drop(key);
      front.close();
    });
    return front.address().port;
  }
}

function parseRange(text: string, what: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  const lo = m ? Number(m[1]) : NaN;
  const hi = m?.[2] ? Number(m[2]) : lo;
  if (!m || lo > 65535 || hi > 65535 || hi < lo) throw badRequest(`invalid ${what} "${text}": expected a port or a range like 8000-8010 (0-65535)`);
  return [lo, hi];
}

function expand(bindings: PortBindings, defaultHostIp: string): Wanted[] {
  const out: Wanted[] = [];
  for (const [key, list] of Object.entries(bindings)) {
    const m = /^([^/]+)(?:\/(tcp|udp|sctp))?$/i.exec(key);
    if (!m) throw badRequest(`invalid port key "${key}" in PortBindings: expected like "80/tcp"`);
    const proto = (m[2] ?? 'tcp').toLowerCase();
    if (proto === 'sctp') throw badRequest(`cannot publish ${key}: sctp ports are not supported by this engine`);
    const [clo, chi] = parseRange(m[1]!, `container port in "${key}"`);
    for (const b of list ?? []) {
      const hostIp = b.HostIp || defaultHostIp;
      const [hlo, hhi] = b.HostPort ? parseRange(b.HostPort, `HostPort for "${key}"`) : [0, 0];
      const count = chi - clo + 1;
      if (count > 1 && hlo !== 0 && hhi - hlo + 1 !== count) throw badRequest(`cannot publish ${key} on ${b.HostPort}: the host range must have ${count} ports like the container range`);
      for (let i = 0; i < count; i++) {
        const hostPorts = count > 1 ? [hlo === 0 ? 0 : hlo + i] : range(hlo, hhi);
        out.push({ containerPort: clo + i, proto: proto as 'tcp' | 'udp', hostIp, hostPorts });
      }
    }
  }
  return out;
}

function range(lo: number, hi: number): number[] {
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}
