// The progress renderer, chosen once per run from the global --progress flag:
// rows redrawn in place on a terminal (listr2), lines otherwise, JSON for
// tools, or nothing.

import { GantryError } from '../../common/errors.js';
import type { ProgressSink } from '../../project/index.js';
import { jsonProgress, plainProgress } from './progress-lines.js';

export const PROGRESS_MODES = ['auto', 'tty', 'plain', 'json', 'quiet'] as const;
export type ProgressMode = (typeof PROGRESS_MODES)[number];

/** A renderer in use: feed it events, then end it before other output takes the stream. */
export interface ProgressView {
  sink: ProgressSink;
  /** Finishes the rows (a TTY view redraws them one last time); safe to call twice. */
  end(): Promise<void>;
}

let chosen: ProgressMode = 'auto';

export function chooseProgress(mode: string | undefined): void {
  if (mode === undefined) return;
  if (!(PROGRESS_MODES as readonly string[]).includes(mode)) {
    throw new GantryError('usage', `invalid --progress value "${mode}"`, { hint: `use one of: ${PROGRESS_MODES.join(', ')}` });
  }
  chosen = mode as ProgressMode;
}

export function chosenProgress(): ProgressMode {
  return chosen;
}

/** A view for the chosen mode (or `mode`), on stderr unless told otherwise. listr2 is loaded only for a terminal. */
export async function progressView(mode: ProgressMode = chosen, stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): Promise<ProgressView> {
  const resolved = mode === 'auto' ? (stream.isTTY ? 'tty' : 'plain') : mode;
  switch (resolved) {
    case 'tty':
      return (await import('./progress-tty.js')).ttyProgress(stream);
    case 'plain':
      return { sink: plainProgress(stream), end: async () => {} };
    case 'json':
      return { sink: jsonProgress(stream), end: async () => {} };
    case 'quiet':
      return { sink: () => {}, end: async () => {} };
  }
}

/**
 * The chosen mode as a plain event sink, for commands that show a few lines
 * (down, create, scale, start, stop, pull, push, run): `json` and `quiet`
 * are honoured; a terminal gets plain lines.
 */
export function progressSink(stream: NodeJS.WritableStream = process.stderr): ProgressSink {
  if (chosen === 'json') return jsonProgress(stream);
  if (chosen === 'quiet') return () => {};
  return plainProgress(stream);
}
