// The embedded DNS server of one network: listens on UDP and TCP port 53 at
// the network's gateway address, answers the names of the name table, and
// forwards everything else to upstream resolvers (the host's, from
// /etc/resolv.conf, unless configured). It runs in the engine, in the host's
// namespace, so upstreams on the host's loopback work too.

import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket as TcpSocket } from 'node:net';
import { CLASS_IN, decodeMessage, encodeMessage, RCODE, TYPE, type DnsMessage, type DnsRecord } from './dns-message.js';
import type { NameAnswer } from './name-table.js';

export interface DnsSource {
  resolve(name: string, clientIp: string): NameAnswer;
  reverse(address: string, clientIp: string): NameAnswer;
  /** Resolvers of the asking client's own, in place of the server's upstreams (docker's per-container `dns`). */
  upstreams?(clientIp: string): Upstream[] | undefined;
}

export interface Upstream {
  host: string;
  port: number;
}

export interface DnsServerOptions {
  address: string;
  port?: number;
  upstreams: Upstream[];
  source: DnsSource;
  /** Per upstream, before the next one is tried. */
  timeoutMs?: number;
  ttl?: number;
}

export function parseUpstream(text: string): Upstream {
  const m = /^\[(.+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  return m ? { host: m[1]!, port: Number(m[2]) } : { host: text, port: 53 };
}

export function hostResolvers(path = '/etc/resolv.conf'): Upstream[] {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return [...text.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => ({ host: m[1]!, port: 53 }));
}

export class DnsServer {
  private udp?: Socket;
  private tcp?: Server;
  private readonly tcpClients = new Set<TcpSocket>();
  private readonly port: number;

  constructor(private readonly opts: DnsServerOptions) {
    this.port = opts.port ?? 53;
  }

  get address(): string {
    return this.opts.address;
  }

  async start(): Promise<void> {
    try {
      await this.listen();
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw Object.assign(new Error(`the embedded DNS server cannot listen on ${this.opts.address}:${this.port}: ${err.code ?? err.message}`), { code: err.code });
    }
  }

  private async listen(): Promise<void> {
    const udp = createSocket({ type: 'udp4' });
    udp.on('message', (msg, rinfo) => void this.onDatagram(udp, msg, rinfo));
    udp.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(this.port, this.opts.address, () => {
        udp.off('error', reject);
        resolve();
      });
    });
    this.udp = udp;
    const tcp = createServer((s) => this.onTcpClient(s));
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(this.port, this.opts.address, () => {
          tcp.off('error', reject);
          resolve();
        });
      });
    } catch (e) {
      udp.close();
      this.udp = undefined;
      throw e;
    }
    this.tcp = tcp;
  }

  async stop(): Promise<void> {
    this.udp?.close();
    this.udp = undefined;
    for (const s of this.tcpClients) s.destroy();
    const tcp = this.tcp;
    this.tcp = undefined;
    if (tcp) await new Promise<void>((resolve) => tcp.close(() => resolve()));
  }

  private async onDatagram(udp: Socket, msg: Buffer, rinfo: RemoteInfo): Promise<void> {
    const reply = await this.answer(msg, rinfo.address, 'udp');
    if (reply && this.udp === udp) udp.send(reply, rinfo.port, rinfo.address);
  }

  private onTcpClient(s: TcpSocket): void {
    this.tcpClients.add(s);
    s.on('close', () => this.tcpClients.delete(s));
    s.on('error', () => s.destroy());
    s.setTimeout(10_000, () => s.destroy());
    let pending = Buffer.alloc(0);
    s.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const msg = pending.subarray(2, 2 + pending.readUInt16BE(0));
        pending = pending.subarray(2 + msg.length);
        void this.answer(Buffer.from(msg), s.remoteAddress ?? '', 'tcp').then((reply) => {
          if (reply && !s.destroyed) s.write(frame(reply));
        });
      }
    });
  }

  /** The reply to one query, or undefined when nothing sensible can be said (not even an id). */
  async answer(msg: Buffer, clientIp: string, transport: 'udp' | 'tcp'): Promise<Buffer | undefined> {
    let query: DnsMessage;
    try {
      query = decodeMessage(msg);
    } catch {
      if (msg.length < 2) return undefined;
      return encodeMessage({ id: msg.readUInt16BE(0), qr: true, rcode: RCODE.FORMERR });
    }
    if (query.qr) return undefined;
    const reply = (rcode: number, answers: DnsRecord[] = []) =>
      encodeMessage({ id: query.id, qr: true, aa: rcode === RCODE.NOERROR || rcode === RCODE.NXDOMAIN, rd: query.rd, ra: true, rcode, questions: query.questions, answers });
    if (query.opcode !== 0) return reply(RCODE.NOTIMP);
    if (query.questions.length !== 1) return reply(RCODE.FORMERR);
    const q = query.questions[0]!;
    const ttl = this.opts.ttl ?? 600;
    const reverse = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa\.?$/i.exec(q.name);
    const found: NameAnswer =
      q.class !== CLASS_IN
        ? { kind: 'forward' }
        : reverse
          ? this.opts.source.reverse([reverse[4], reverse[3], reverse[2], reverse[1]].join('.'), clientIp)
          : this.opts.source.resolve(q.name, clientIp);
    if (found.kind === 'nxdomain') return reply(RCODE.NXDOMAIN);
    if (found.kind === 'found') {
      if (reverse) return reply(RCODE.NOERROR, q.type === TYPE.PTR || q.type === TYPE.ANY ? found.values.map((v) => ({ name: q.name, type: TYPE.PTR, class: CLASS_IN, ttl, data: v })) : []);
      // The name exists; it has IPv4 addresses only, so other types get an empty answer.
      if (q.type !== TYPE.A && q.type !== TYPE.ANY) return reply(RCODE.NOERROR);
      return reply(RCODE.NOERROR, found.values.map((v) => ({ name: q.name, type: TYPE.A, class: CLASS_IN, ttl, data: v })));
    }
    const forwarded = await this.forward(msg, transport, this.opts.source.upstreams?.(clientIp) ?? this.opts.upstreams);
    return forwarded ?? reply(RCODE.SERVFAIL);
  }

  private async forward(msg: Buffer, transport: 'udp' | 'tcp', upstreams: Upstream[]): Promise<Buffer | undefined> {
    const timeout = this.opts.timeoutMs ?? 2000;
    for (const up of upstreams) {
      const answer = transport === 'udp' ? await askUdp(up, msg, timeout) : await askTcp(up, msg, timeout);
      if (answer) return answer;
    }
    return undefined;
  }
}

function frame(msg: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(msg.length);
  return Buffer.concat([len, msg]);
}

function askUdp(up: Upstream, msg: Buffer, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = createSocket(up.host.includes(':') ? 'udp6' : 'udp4');
    const done = (v: Buffer | undefined) => {
      clearTimeout(timer);
      sock.close();
      resolve(v);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    sock.on('error', () => done(undefined));
    sock.on('message', (reply) => {
      // Only the answer to this query's id counts; stray datagrams are ignored.
      if (reply.length >= 2 && reply.readUInt16BE(0) === msg.readUInt16BE(0)) done(reply);
    });
    sock.send(msg, up.port, up.host);
  });
}

function askTcp(up: Upstream, msg: Buffer, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = connect(up.port, up.host);
    let got = Buffer.alloc(0);
    const done = (v: Buffer | undefined) => {
      sock.destroy();
      resolve(v);
    };
    sock.setTimeout(timeoutMs, () => done(undefined));
    sock.on('error', () => done(undefined));
    sock.on('connect', () => sock.write(frame(msg)));
    sock.on('data', (chunk) => {
      got = Buffer.concat([got, chunk]);
      if (got.length >= 2 && got.length >= 2 + got.readUInt16BE(0)) done(got.subarray(2, 2 + got.readUInt16BE(0)));
    });
    sock.on('end', () => done(undefined));
  });
}
