import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FrameDemuxer, type Frame } from '../../src/engine-client/frame-demuxer.js';
import { LineSplitter } from '../../src/engine-client/line-splitter.js';
import { logLines, type LogLine } from '../../src/engine-client/log-lines.js';

const STDOUT = 1;
const STDERR = 2;

/** One frame as the engine writes it: type, three zero bytes, uint32 length, payload. */
function frame(type: number, payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const head = Buffer.alloc(8);
  head[0] = type;
  head.writeUInt32BE(body.length, 4);
  return Buffer.concat([head, body]);
}

/** Cuts `b` at the given offsets. */
function cut(b: Buffer, offsets: number[]): Buffer[] {
  const points = [...new Set(offsets.map((o) => Math.min(Math.max(o, 0), b.length)))].sort((x, y) => x - y);
  const out: Buffer[] = [];
  let last = 0;
  for (const p of [...points, b.length]) {
    out.push(b.subarray(last, p));
    last = p;
  }
  return out;
}

function demuxAll(chunks: Buffer[]): { stdout: string; stderr: string; frames: Frame[] } {
  const d = new FrameDemuxer();
  const frames = chunks.flatMap((c) => d.push(c));
  const text = (s: string) => Buffer.concat(frames.filter((f) => f.stream === s).map((f) => f.data)).toString();
  return { stdout: text('stdout'), stderr: text('stderr'), frames };
}

async function* chunksFrom(chunks: Buffer[]): AsyncGenerator<Buffer> {
  for (const c of chunks) yield c;
}

async function lines(chunks: Buffer[], opts = { tty: false, timestamps: false }): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const l of logLines(chunksFrom(chunks), opts)) out.push(l);
  return out;
}

describe('frame demuxer', () => {
  const stream = Buffer.concat([frame(STDOUT, 'hello\n'), frame(STDERR, 'oops\n'), frame(STDOUT, ''), frame(STDOUT, 'world\n')]);

  it('separates stdout and stderr frames in one chunk', () => {
    const r = demuxAll([stream]);
    assert.equal(r.stdout, 'hello\nworld\n');
    assert.equal(r.stderr, 'oops\n');
    assert.deepEqual(r.frames.map((f) => f.stream), ['stdout', 'stderr', 'stdout', 'stdout']);
  });

  it('gives the same frames for every way of cutting the stream in two, and byte by byte', () => {
    for (let at = 0; at <= stream.length; at++) {
      const r = demuxAll(cut(stream, [at]));
      assert.equal(r.stdout, 'hello\nworld\n', `cut at ${at}`);
      assert.equal(r.stderr, 'oops\n', `cut at ${at}`);
    }
    const bytes = [...stream].map((b) => Buffer.from([b]));
    assert.equal(demuxAll(bytes).frames.length, 4);
  });

  it('holds a frame until its payload is complete', () => {
    const d = new FrameDemuxer();
    const f = frame(STDERR, 'abcdef');
    assert.deepEqual(d.push(f.subarray(0, 10)), []);
    assert.equal(d.leftover, 10);
    assert.deepEqual(d.push(f.subarray(10)).map((x) => x.data.toString()), ['abcdef']);
    assert.equal(d.leftover, 0);
  });

  it('falls back to raw stdout when the bytes are not frames (a TTY)', () => {
    const r = demuxAll([Buffer.from('plain text from a tty\n'), Buffer.from('more\n')]);
    assert.equal(r.stdout, 'plain text from a tty\nmore\n');
    assert.equal(r.stderr, '');
  });
});

describe('line splitter', () => {
  it('splits across chunks and strips \\r\\n', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push(Buffer.from('one\r\ntw')), ['one']);
    assert.deepEqual(s.push(Buffer.from('o\nthr')), ['two']);
    assert.deepEqual(s.push(Buffer.from('ee')), []);
    assert.equal(s.flush(), 'three');
    assert.equal(s.flush(), undefined);
  });

  it('keeps a UTF-8 character whole when a chunk boundary cuts through it', () => {
    const bytes = Buffer.from('café ☕\n');
    const s = new LineSplitter();
    const got = [...cut(bytes, [4, 7, 8])].flatMap((c) => s.push(c));
    assert.deepEqual(got, ['café ☕']);
  });
});

describe('log lines', () => {
  it('joins a line cut across frames and chunks, per stream', async () => {
    const raw = Buffer.concat([frame(STDOUT, 'first half '), frame(STDERR, 'an error\n'), frame(STDOUT, 'second half\nnext'), frame(STDOUT, ' line\n')]);
    const got = await lines(cut(raw, [3, 11, 20, 30]));
    assert.deepEqual(got, [
      { stream: 'stderr', line: 'an error' },
      { stream: 'stdout', line: 'first half second half' },
      { stream: 'stdout', line: 'next line' },
    ]);
  });

  it('emits the last line even without a newline', async () => {
    assert.deepEqual(await lines([frame(STDOUT, 'a\nno newline')]), [
      { stream: 'stdout', line: 'a' },
      { stream: 'stdout', line: 'no newline' },
    ]);
  });

  it('reads timestamps off the start of each line', async () => {
    const got = await lines([frame(STDOUT, '2024-05-01T10:00:00.123456789Z hello world\n'), frame(STDERR, '2024-05-01T10:00:01Z bye\n')], { tty: false, timestamps: true });
    assert.deepEqual(got, [
      { stream: 'stdout', line: 'hello world', timestamp: '2024-05-01T10:00:00.123456789Z' },
      { stream: 'stderr', line: 'bye', timestamp: '2024-05-01T10:00:01Z' },
    ]);
  });

  it('keeps the first timestamp of a line stored as several partial entries, and drops the others', async () => {
    const got = await lines(
      [frame(STDOUT, '2024-05-01T10:00:00.1Z aaaa'), frame(STDERR, '2024-05-01T10:00:00.2Z err\n'), frame(STDOUT, '2024-05-01T10:00:00.3Z bbbb\n')],
      { tty: false, timestamps: true },
    );
    assert.deepEqual(got, [
      { stream: 'stderr', line: 'err', timestamp: '2024-05-01T10:00:00.2Z' },
      { stream: 'stdout', line: 'aaaabbbb', timestamp: '2024-05-01T10:00:00.1Z' },
    ]);
  });

  it('reads a timestamp per line when one frame holds several entries', async () => {
    const got = await lines([frame(STDOUT, '2024-05-01T10:00:00Z one\n2024-05-01T10:00:01Z two\n')], { tty: false, timestamps: true });
    assert.deepEqual(got.map((l) => [l.line, l.timestamp]), [
      ['one', '2024-05-01T10:00:00Z'],
      ['two', '2024-05-01T10:00:01Z'],
    ]);
  });

  it('takes a TTY stream as raw stdout, even when it starts with a byte that looks like a header', async () => {
    const got = await lines([Buffer.from('\x01\x00\x00\x00ab\r\ncd'), Buffer.from('\r\n')], { tty: true, timestamps: false });
    assert.deepEqual(got, [
      { stream: 'stdout', line: '\x01\x00\x00\x00ab' },
      { stream: 'stdout', line: 'cd' },
    ]);
  });

  it('yields every line on its stream in order, however the bytes are chunked (property)', async () => {
    const entry = fc.record({ stream: fc.constantFrom<'stdout' | 'stderr'>('stdout', 'stderr'), line: fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, '')) });
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { maxLength: 12 }), fc.array(fc.nat(400), { maxLength: 10 }), async (entries, cuts) => {
        const raw = Buffer.concat(entries.map((e) => frame(e.stream === 'stdout' ? STDOUT : STDERR, e.line + '\n')));
        const got = await lines(cut(raw, cuts));
        for (const s of ['stdout', 'stderr'] as const) {
          assert.deepEqual(got.filter((l) => l.stream === s).map((l) => l.line), entries.filter((e) => e.stream === s).map((e) => e.line));
        }
      }),
      { numRuns: 200 },
    );
  });
});
