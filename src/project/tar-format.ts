// The tar format as the Engine API's archive calls speak it (what Go's
// archive/tar writes and reads): 512-byte USTAR headers, PAX extended headers
// for what does not fit (long or non-ASCII names, big sizes and ids), and on
// reading also GNU long names and base-256 numbers. `compose cp` needs only
// this much, so it is written here rather than taken from a package.

export const BLOCK = 512;

export type EntryType = 'file' | 'hardlink' | 'symlink' | 'chardev' | 'blockdev' | 'directory' | 'fifo' | 'other';

export interface TarHeader {
  /** Slash-separated; a directory's may end with `/`. */
  name: string;
  type: EntryType;
  /** Permission bits (and setuid/setgid/sticky). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Seconds since the epoch; may have a fraction (PAX). */
  mtime: number;
  linkname: string;
  uname?: string;
  gname?: string;
}

const TYPE_FLAGS: Record<string, EntryType> = { '0': 'file', '\0': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink', '3': 'chardev', '4': 'blockdev', '5': 'directory', '6': 'fifo' };
const FLAG_OF: Partial<Record<EntryType, string>> = { file: '0', hardlink: '1', symlink: '2', chardev: '3', blockdev: '4', directory: '5', fifo: '6' };

/** The largest value an octal field of `width` bytes holds (one byte goes to the terminator). */
const octalMax = (width: number) => 8 ** (width - 1) - 1;

// ---- writing ----

/** The header block(s) of one entry: a PAX header first when a value does not fit USTAR. */
export function encodeHeader(h: TarHeader): Buffer {
  const pax: Record<string, string> = {};
  let name = h.type === 'directory' && !h.name.endsWith('/') ? `${h.name}/` : h.name;
  let prefix = '';
  if (!isAscii(name) || Buffer.byteLength(name) > 100) {
    const split = splitUstarName(name);
    if (split && isAscii(name)) [prefix, name] = split;
    else {
      pax.path = name;
      name = asciiTail(name, 100);
    }
  }
  let linkname = h.linkname;
  if (!isAscii(linkname) || Buffer.byteLength(linkname) > 100) {
    pax.linkpath = linkname;
    linkname = asciiTail(linkname, 100);
  }
  if (h.size > octalMax(12)) pax.size = String(h.size);
  if (h.uid > octalMax(8)) pax.uid = String(h.uid);
  if (h.gid > octalMax(8)) pax.gid = String(h.gid);
  if (!Number.isInteger(h.mtime) || h.mtime < 0 || h.mtime > octalMax(12)) pax.mtime = h.mtime.toFixed(9).replace(/\.?0+$/, '');

  const block = ustarBlock({ ...h, name, linkname, prefix, size: pax.size ? 0 : h.size, uid: pax.uid ? 0 : h.uid, gid: pax.gid ? 0 : h.gid, mtime: pax.mtime ? Math.max(0, Math.min(Math.floor(h.mtime), octalMax(12))) : h.mtime });
  if (Object.keys(pax).length === 0) return block;
  const records = Buffer.from(Object.entries(pax).map(([k, v]) => paxRecord(k, v)).join(''), 'utf8');
  const paxHeader = ustarBlock({ name: asciiTail(`PaxHeaders.0/${name.replace(/\/$/, '')}`, 100), type: 'other', flag: 'x', mode: 0o644, uid: 0, gid: 0, size: records.length, mtime: 0, linkname: '', prefix: '' });
  return Buffer.concat([paxHeader, records, Buffer.alloc(padding(records.length)), block]);
}

/** Zero bytes that round `size` up to a whole block. */
export function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** The two zero blocks that end an archive. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);

function ustarBlock(h: TarHeader & { prefix: string; flag?: string }): Buffer {
  const b = Buffer.alloc(BLOCK);
  b.write(h.name, 0, 100, 'utf8');
  writeOctal(b, 100, 8, h.mode & 0o7777);
  writeOctal(b, 108, 8, h.uid);
  writeOctal(b, 116, 8, h.gid);
  writeOctal(b, 124, 12, h.size);
  writeOctal(b, 136, 12, h.mtime);
  b.write(h.flag ?? FLAG_OF[h.type] ?? '0', 156, 1, 'latin1');
  b.write(h.linkname, 157, 100, 'utf8');
  b.write('ustar\u000000', 257, 8, 'latin1');
  b.write((h.uname ?? '').slice(0, 31), 265, 32, 'utf8');
  b.write((h.gname ?? '').slice(0, 31), 297, 32, 'utf8');
  b.write(h.prefix, 345, 155, 'utf8');
  // The checksum is computed with its own field as spaces.
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += b[i]!;
  b.write(sum.toString(8).padStart(6, '0') + '\u0000 ', 148, 8, 'latin1');
  return b;
}

function writeOctal(b: Buffer, offset: number, width: number, value: number): void {
  b.write(Math.floor(value).toString(8).padStart(width - 1, '0') + '\u0000', offset, width, 'latin1');
}

/** `"30 path=some/long/name\n"`: the length counts itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bytes = Buffer.byteLength(body);
  let length = bytes + String(bytes).length;
  if (String(length).length !== String(bytes).length) length = bytes + String(length).length;
  return `${length}${body}`;
}

/** USTAR's prefix/name split of a long ASCII name, when a slash allows one. */
function splitUstarName(name: string): [string, string] | undefined {
  if (name.length > 256) return undefined;
  for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
    if (i <= 155 && name.length - i - 1 <= 100 && name.length - i - 1 > 0) return [name.slice(0, i), name.slice(i + 1)];
  }
  return undefined;
}

function isAscii(s: string): boolean {
  return /^[\x20-\x7e]*$/.test(s);
}

/** A placeholder for a name a PAX record carries: its ASCII end, at most `max` bytes. */
function asciiTail(s: string, max: number): string {
  const ascii = s.replace(/[^\x20-\x7e]/g, '_');
  return ascii.length > max ? ascii.slice(ascii.length - max) : ascii;
}

// ---- reading ----

/** The raw fields of a header block; undefined for a zero block (end of archive). */
export interface RawHeader extends TarHeader {
  /** The type flag as written (`x`, `g`, `L`, `K` are metadata for the next entry). */
  flag: string;
}

export function decodeHeader(b: Buffer): RawHeader | undefined {
  if (b.every((x) => x === 0)) return undefined;
  if (!checksumOk(b)) throw new Error('not a tar archive (bad header checksum)');
  const magic = b.toString('latin1', 257, 263);
  const ustar = magic === 'ustar\u0000' || magic === 'ustar ';
  const gnu = b.toString('latin1', 257, 265) === 'ustar  \u0000';
  let name = text(b, 0, 100);
  if (ustar && !gnu) {
    const prefix = text(b, 345, 155);
    if (prefix) name = `${prefix}/${name}`;
  }
  const flag = String.fromCharCode(b[156]!);
  return {
    name,
    flag,
    type: TYPE_FLAGS[flag] ?? 'other',
    mode: readNumber(b, 100, 8),
    uid: readNumber(b, 108, 8),
    gid: readNumber(b, 116, 8),
    size: readNumber(b, 124, 12),
    mtime: readNumber(b, 136, 12),
    linkname: text(b, 157, 100),
    uname: ustar ? text(b, 265, 32) : undefined,
    gname: ustar ? text(b, 297, 32) : undefined,
  };
}

/** PAX records → key/value pairs. */
export function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    if (space < 0) break;
    const length = Number(data.toString('latin1', i, space));
    if (!Number.isInteger(length) || length <= 0 || i + length > data.length) break;
    const record = data.toString('utf8', space + 1, i + length - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    i += length;
  }
  return out;
}

function checksumOk(b: Buffer): boolean {
  const stored = readNumber(b, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const x = i >= 148 && i < 156 ? 0x20 : b[i]!;
    unsigned += x;
    signed += x > 127 ? x - 256 : x;
  }
  return stored === unsigned || stored === signed;
}

function text(b: Buffer, offset: number, width: number): string {
  const end = b.indexOf(0, offset);
  return b.toString('utf8', offset, end >= 0 && end < offset + width ? end : offset + width);
}

/** Octal text, or base-256 when the first byte's high bit is set (GNU, Go for big values). */
function readNumber(b: Buffer, offset: number, width: number): number {
  if (b[offset]! & 0x80) {
    let v = b[offset]! & 0x7f;
    for (let i = 1; i < width; i++) v = v * 256 + b[offset + i]!;
    return v;
  }
  const s = b.toString('latin1', offset, offset + width).replace(/^[ \0]+/, '').replace(/[ \0].*$/s, '');
  return s ? parseInt(s, 8) : 0;
}
