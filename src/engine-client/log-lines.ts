// A container's log stream → lines tagged with the stream they came from.
// Framed (no TTY) or raw (TTY) bytes, split into lines per stream so that a
// half line on stdout is not glued to a line on stderr.
//
// With timestamps, the engine writes one before each log *entry*, and a line
// longer than the engine's buffer (16 KiB for dockerd) is stored as several
// partial entries, each with its own timestamp. In a framed stream each entry
// is one frame, so a frame's leading timestamp is stripped, and kept as the
// line's when the frame starts a new line. Raw TTY bytes have no entry
// boundaries; there a timestamp is only read at the start of a line.

import { FrameDemuxer } from './frame-demuxer.js';
import { LineSplitter } from './line-splitter.js';

export interface LogLine {
  stream: 'stdout' | 'stderr';
  /** Without its newline. */
  line: string;
  /** RFC 3339 with nanoseconds, when timestamps were asked for. */
  timestamp?: string;
}

// `2024-05-01T10:00:00.123456789Z ` (or with a numeric zone).
const STAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) /;
// Longer than any timestamp with its space; enough to look for one.
const STAMP_WINDOW = 48;

type Name = 'stdout' | 'stderr';

export async function* logLines(chunks: AsyncIterable<Buffer>, opts: { tty: boolean; timestamps: boolean }): AsyncGenerator<LogLine> {
  const demux = opts.tty ? undefined : new FrameDemuxer();
  const splitters: Record<Name, LineSplitter> = { stdout: new LineSplitter(), stderr: new LineSplitter() };
  /** The timestamp of the entry that began the line being assembled. */
  const stamps: Record<Name, string | undefined> = { stdout: undefined, stderr: undefined };

  function* emit(stream: Name, texts: string[]): Generator<LogLine> {
    for (const text of texts) {
      let line = text;
      let timestamp = stamps[stream];
      stamps[stream] = undefined;
      if (opts.timestamps && timestamp === undefined) {
        const m = STAMP.exec(text);
        if (m) {
          timestamp = m[1];
          line = text.slice(m[0].length);
        }
      }
      yield timestamp === undefined ? { stream, line } : { stream, line, timestamp };
    }
  }

  for await (const chunk of chunks) {
    if (!demux) {
      yield* emit('stdout', splitters.stdout.push(chunk));
      continue;
    }
    for (const frame of demux.push(chunk)) {
      const stream: Name = frame.stream === 'stderr' ? 'stderr' : 'stdout';
      let data = frame.data;
      if (opts.timestamps) {
        const m = STAMP.exec(data.toString('latin1', 0, Math.min(data.length, STAMP_WINDOW)));
        if (m) {
          data = data.subarray(m[0].length);
          if (!splitters[stream].midLine) stamps[stream] = m[1];
        }
      }
      yield* emit(stream, splitters[stream].push(data));
    }
  }
  for (const stream of ['stdout', 'stderr'] as const) {
    const last = splitters[stream].flush();
    if (last !== undefined) yield* emit(stream, [last]);
  }
}
