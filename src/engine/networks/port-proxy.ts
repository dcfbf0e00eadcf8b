// Published ports through a userland proxy in the engine, the way docker's
// docker-proxy does: a TCP listener per host port relaying each connection to
// the container's address (bound here, then handed to a gantry-proxy process
// that copies with splice(2); relayed in Node when that binary is not built;
// a relay that dies is replaced), and a UDP socket per host port that keeps one
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
  /** Where the engine's log lines go (a relay that died and was replaced). */
  log?: (line: string) => void;
}

/** A listener on host:port that relays what it accepts to the container, in Node. */
function listenTcp(hostIp: string, hostPort: number, containerPort: number, targetIp: string, clients: Set<Socket>): Promise<Server> {
  // Half-open both ways: a client that sends its request and shuts down its
  // writing side still gets the answer, as through docker-proxy.
  const server: Server = createServer({ allowHalfOpen: true }, (inbound) => {
    const outbound = connect({ port: containerPort, host: targetIp, allowHalfOpen: true });
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
  return new Promise<Server>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: hostPort, host: hostIp, exclusive: true }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
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
        return w.proto === 'tcp' ? await this.tcp(w, w.hostPorts[i]!, targetIp, opts) : await this.udp(w, w.hostPorts[i]!, targetIp, opts.udpIdleMs ?? 30_000);
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

  private async tcp(w: Wanted, hostPort: number, targetIp: string, opts: ProxyOptions): Promise<number> {
    // Connections Node accepted itself: before a relay took the socket over,
    // or all along when there is no relay. They close with the port.
    const clients = new Set<Socket>();
    const server = await listenTcp(w.hostIp, hostPort, w.containerPort, targetIp, clients);
    const port = (server.address() as { port: number }).port;
    const slot = { closed: false, release: async () => {} };
    const deaths: number[] = [];
    let reviving: Promise<void> = Promise.resolve();
    const shown = `${w.hostIp}:${port}/tcp`;

    const serve = async (listener: Server, relayAllowed: boolean): Promise<void> => {
      const binary = relayAllowed ? this.relayBinary : undefined;
      const relay = binary ? await startSpliceRelay(binary, listener, targetIp, w.containerPort, (how, pid) => (reviving = revive(how, pid))) : undefined;
      if (relay) {
        this.relays.add(relay.pid);
        slot.release = async () => {
          await relay.close();
          this.relays.delete(relay.pid);
        };
        return;
      }
      slot.release = () => new Promise<void>((resolve) => listener.close(() => resolve()));
    };

    // A relay that died on its own took the only copy of the listener with
    // it: bind the port again and hand it to a new relay, or relay in Node
    // once relays keep dying (five within a minute).
    const revive = async (how: string, pid: number): Promise<void> => {
      this.relays.delete(pid);
      if (slot.closed) return;
      const now = Date.now();
      deaths.push(now);
      while (deaths.length && deaths[0]! < now - 60_000) deaths.shift();
      const relayAllowed = deaths.length < 5;
      opts.log?.(`relay for ${shown} → ${targetIp}:${w.containerPort} exited (${how}); ${relayAllowed ? 'starting another' : 'relaying in the engine from now on'}`);
      for (let attempt = 0; attempt < 50 && !slot.closed; attempt++) {
        try {
          const again = await listenTcp(w.hostIp, port, w.containerPort, targetIp, clients);
          if (slot.closed) {
            again.close();
            return;
          }
          await serve(again, relayAllowed);
          return;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') {
            opts.log?.(`cannot publish ${shown} again: ${(e as Error).message}`);
            return;
          }
          // Someone else holds the port for now (a connect racing the exit).
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      if (!slot.closed) opts.log?.(`cannot publish ${shown} again: the port stayed in use`);
    };

    await serve(server, true);
    this.closers.push(async () => {
      slot.closed = true;
      // A replacement being set up is let finish, then closed with the rest.
      await reviving;
      await slot.release();
      for (const c of clients) c.destroy();
    });
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
