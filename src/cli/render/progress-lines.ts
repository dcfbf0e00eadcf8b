// Plain progress: one line per finished step on stderr, docker compose's words.

import type { ProgressEvent } from '../../project/index.js';

export function plainProgress(stream: NodeJS.WritableStream = process.stderr): (e: ProgressEvent) => void {
  return (e) => {
    if (!e.done && e.status !== 'Recreate') return;
    stream.write(` ${e.object} ${e.name}  ${e.status}${e.detail ? ` (${e.detail})` : ''}\n`);
  };
}
