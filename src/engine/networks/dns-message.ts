// DNS messages (RFC 1035) as far as the embedded DNS server needs them:
// header, questions, and resource records whose data is decoded for A, AAAA
// and name-valued types (PTR, CNAME, NS) and kept raw otherwise. Reading
// follows compression pointers; writing never compresses (allowed, and the
// answers are small).

export const TYPE = { A: 1, NS: 2, CNAME: 5, PTR: 12, AAAA: 28, OPT: 41, ANY: 255 } as const;
export const CLASS_IN = 1;
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

export interface DnsQuestion {
  name: string;
  type: number;
  class: number;
}

export interface DnsRecord {
  name: string;
  type: number;
  class: number;
  ttl: number;
  /** Address text for A/AAAA, a name for PTR/CNAME/NS, raw bytes otherwise. */
  data: string | Buffer;
}

export interface DnsMessage {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  rcode: number;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
}

export class DnsFormatError extends Error {
  override name = 'DnsFormatError';
}

const NAME_TYPES = new Set<number>([TYPE.PTR, TYPE.CNAME, TYPE.NS]);

class Reader {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
  ) {}

  need(n: number): void {
    if (this.pos + n > this.buf.length) throw new DnsFormatError(`message truncated at byte ${this.pos} (needs ${n} more)`);
  }
  u8(): number {
    this.need(1);
    return this.buf.readUInt8(this.pos++);
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  bytes(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /** A possibly compressed name; the position ends after the name's own bytes. */
  name(): string {
    const labels: string[] = [];
    let at = this.pos;
    let end: number | undefined;
    let jumps = 0;
    for (;;) {
      if (at >= this.buf.length) throw new DnsFormatError(`name runs past the end of the message at byte ${at}`);
      const len = this.buf[at]!;
      if ((len & 0xc0) === 0xc0) {
        if (at + 1 >= this.buf.length) throw new DnsFormatError(`compression pointer cut short at byte ${at}`);
        // A pointer loop would never end: a name cannot need more jumps than the message has bytes.
        if (++jumps > 127) throw new DnsFormatError('compression pointers loop');
        end ??= at + 2;
        at = ((len & 0x3f) << 8) | this.buf[at + 1]!;
        continue;
      }
      if (len & 0xc0) throw new DnsFormatError(`unsupported label type 0x${len.toString(16)} at byte ${at}`);
      if (len === 0) {
        end ??= at + 1;
        break;
      }
      if (at + 1 + len > this.buf.length) throw new DnsFormatError(`label runs past the end of the message at byte ${at}`);
      labels.push(this.buf.toString('latin1', at + 1, at + 1 + len));
      at += 1 + len;
    }
    this.pos = end;
    return labels.join('.');
  }
}

function readRecord(r: Reader): DnsRecord {
  const name = r.name();
  const type = r.u16();
  const klass = r.u16();
  const ttl = r.u32();
  const len = r.u16();
  const start = r.pos;
  const raw = r.bytes(len);
  let data: string | Buffer = Buffer.from(raw);
  if (type === TYPE.A && len === 4) data = [...raw].join('.');
  else if (type === TYPE.AAAA && len === 16) data = ipv6Text(raw);
  else if (NAME_TYPES.has(type)) {
    const sub = new Reader(r.buf, start);
    data = sub.name();
  }
  return { name, type, class: klass, ttl, data };
}

export function decodeMessage(buf: Buffer): DnsMessage {
  const r = new Reader(buf);
  const id = r.u16();
  const flags = r.u16();
  const counts = [r.u16(), r.u16(), r.u16(), r.u16()] as const;
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < counts[0]; i++) questions.push({ name: r.name(), type: r.u16(), class: r.u16() });
  const section = (n: number) => Array.from({ length: n }, () => readRecord(r));
  const answers = section(counts[1]);
  const authorities = section(counts[2]);
  const additionals = section(counts[3]);
  return {
    id,
    qr: !!(flags & 0x8000),
    opcode: (flags >> 11) & 0xf,
    aa: !!(flags & 0x0400),
    tc: !!(flags & 0x0200),
    rd: !!(flags & 0x0100),
    ra: !!(flags & 0x0080),
    rcode: flags & 0xf,
    questions,
    answers,
    authorities,
    additionals,
  };
}

function nameBytes(name: string): Buffer {
  const trimmed = name.replace(/\.$/, '');
  const parts: Buffer[] = [];
  if (trimmed) {
    for (const label of trimmed.split('.')) {
      const b = Buffer.from(label, 'latin1');
      if (b.length === 0 || b.length > 63) throw new DnsFormatError(`label "${label}" of ${name} must be 1 to 63 bytes`);
      parts.push(Buffer.from([b.length]), b);
    }
  }
  parts.push(Buffer.from([0]));
  const out = Buffer.concat(parts);
  if (out.length > 255) throw new DnsFormatError(`name ${name} is longer than 255 bytes`);
  return out;
}

function dataBytes(rec: DnsRecord): Buffer {
  if (Buffer.isBuffer(rec.data)) return rec.data;
  if (rec.type === TYPE.A) {
    const octets = rec.data.split('.').map(Number);
    if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) throw new DnsFormatError(`A record data "${rec.data}" is not an IPv4 address`);
    return Buffer.from(octets);
  }
  if (rec.type === TYPE.AAAA) return ipv6Bytes(rec.data);
  if (NAME_TYPES.has(rec.type)) return nameBytes(rec.data);
  throw new DnsFormatError(`record type ${rec.type} needs raw data`);
}

export function encodeMessage(m: Partial<DnsMessage> & { id: number }): Buffer {
  const header = Buffer.alloc(12);
  const questions = m.questions ?? [];
  const sections = [m.answers ?? [], m.authorities ?? [], m.additionals ?? []];
  header.writeUInt16BE(m.id, 0);
  const flags =
    (m.qr ? 0x8000 : 0) | ((m.opcode ?? 0) & 0xf) << 11 | (m.aa ? 0x0400 : 0) | (m.tc ? 0x0200 : 0) | (m.rd ? 0x0100 : 0) | (m.ra ? 0x0080 : 0) | ((m.rcode ?? 0) & 0xf);
  header.writeUInt16BE(flags, 2);
  header.writeUInt16BE(questions.length, 4);
  sections.forEach((s, i) => header.writeUInt16BE(s.length, 6 + 2 * i));
  const parts: Buffer[] = [header];
  for (const q of questions) {
    const tail = Buffer.alloc(4);
    tail.writeUInt16BE(q.type, 0);
    tail.writeUInt16BE(q.class, 2);
    parts.push(nameBytes(q.name), tail);
  }
  for (const rec of sections.flat()) {
    const data = dataBytes(rec);
    const fixed = Buffer.alloc(10);
    fixed.writeUInt16BE(rec.type, 0);
    fixed.writeUInt16BE(rec.class, 2);
    fixed.writeUInt32BE(rec.ttl >>> 0, 4);
    fixed.writeUInt16BE(data.length, 8);
    parts.push(nameBytes(rec.name), fixed, data);
  }
  return Buffer.concat(parts);
}

function ipv6Text(b: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i).toString(16));
  return groups.join(':');
}

function ipv6Bytes(text: string): Buffer {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  const groups = [...h, ...Array(fill).fill('0'), ...t];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) throw new DnsFormatError(`AAAA record data "${text}" is not an IPv6 address`);
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}
