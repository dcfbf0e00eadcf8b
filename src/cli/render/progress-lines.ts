// Progress as text lines, for when stderr is not a terminal: `plain` is one
// line per step, in docker compose's words; `json` one object per line, for
// tools; `quiet` nothing at all.

import type { ProgressEvent, ProgressSink } from '../../project/index.js';

/** ` Container p-web-1  Started`, one per event. */
export function plainProgress(stream: NodeJS.WritableStream = process.stderr): ProgressSink {
  return (e) => {
    stream.write(` ${e.object} ${e.name}  ${e.status}${e.detail ? ` (${e.detail})` : ''}\n`);
  };
}

/** `{"id":"Container p-web-1","object":"Container","name":"p-web-1","status":"Started","done":true}`, one per event. */
export function jsonProgress(stream: NodeJS.WritableStream = process.stderr): ProgressSink {
  return (e: ProgressEvent) => {
    stream.write(JSON.stringify({ id: `${e.object} ${e.name}`, object: e.object, name: e.name, status: e.status, ...(e.detail ? { detail: e.detail } : {}), done: e.done }) + '\n');
  };
}
