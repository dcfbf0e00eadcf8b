// Docker's multiplexed stream (logs, attach and exec of a container without a
// TTY): each frame is an 8-byte header — stream type (0 stdin, 1 stdout,
// 2 stderr), three zero bytes, a big-endian uint32 length — then the payload.
// Frames and headers arrive split across chunks however the network likes.

export type StreamName = 'stdin' | 'stdout' | 'stderr';

export interface Frame {
  stream: StreamName;
  data: Buffer;
}

const NAMES: readonly StreamName[] = ['stdin', 'stdout', 'stderr'];
const HEADER = 8;
const EMPTY = Buffer.alloc(0);

export class FrameDemuxer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Set when the bytes turned out not to be framed: everything is stdout from then on. */
  private raw = false;

  /** The complete frames that `chunk` finishes, in order. */
  push(chunk: Buffer): Frame[] {
    if (chunk.length === 0) return [];
    if (this.raw) return [{ stream: 'stdout', data: chunk }];
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const frames: Frame[] = [];
    while (this.pendingBytes >= HEADER) {
      const head = this.peek(HEADER);
      const type = head[0]!;
      if (type > 2 || head[1] !== 0 || head[2] !== 0 || head[3] !== 0) {
        // Not a frame header: the stream is a TTY's raw bytes after all.
        this.raw = true;
        const rest = this.take(this.pendingBytes);
        if (rest.length) frames.push({ stream: 'stdout', data: rest });
        return frames;
      }
      const size = head.readUInt32BE(4);
      if (this.pendingBytes < HEADER + size) break;
      this.take(HEADER);
      frames.push({ stream: NAMES[type]!, data: this.take(size) });
    }
    return frames;
  }

  /** Bytes of an unfinished frame left when the stream ended (a truncated stream). */
  get leftover(): number {
    return this.pendingBytes;
  }

  private peek(n: number): Buffer {
    const first = this.pending[0]!;
    if (first.length >= n) return first.subarray(0, n);
    this.pending = [Buffer.concat(this.pending)];
    return this.pending[0]!.subarray(0, n);
  }

  private take(n: number): Buffer {
    if (n === 0) return EMPTY;
    let first = this.pending[0]!;
    if (first.length < n) {
      first = Buffer.concat(this.pending);
      this.pending = [first];
    }
    const out = first.subarray(0, n);
    const rest = first.subarray(n);
    if (rest.length) this.pending[0] = rest;
    else this.pending.shift();
    this.pendingBytes -= n;
    return out;
  }
}
