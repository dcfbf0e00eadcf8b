// Docker's JSON progress stream for pull and push: one JSON object a line.
// The 200 goes out with the first line, so failures found before it (a
// manifest that does not exist) can still be a plain API error with a status.

import type { ServerResponse } from 'node:http';

export interface ProgressLine {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  progress?: string;
  aux?: Record<string, unknown>;
}

export class ProgressStream {
  constructor(private readonly res: ServerResponse) {}

  get started(): boolean {
    return this.res.headersSent;
  }

  send(line: ProgressLine): void {
    if (this.res.destroyed || this.res.writableEnded) return;
    if (!this.res.headersSent) this.res.writeHead(200, { 'Content-Type': 'application/json' });
    this.res.write(JSON.stringify(line) + '\n');
  }

  status(status: string, id?: string): void {
    this.send(id ? { status, progressDetail: {}, id } : { status });
  }

  /** `Downloading`/`Pushing` with the bar docker's CLI shows when it is not a tty. */
  bytes(status: string, id: string, current: number, total: number): void {
    this.send({ status, progressDetail: { current, total }, progress: bar(current, total), id });
  }

  /** A failure after the 200: docker's error line ends the stream. */
  fail(message: string): void {
    if (!this.res.headersSent) this.res.writeHead(200, { 'Content-Type': 'application/json' });
    if (!this.res.writableEnded) this.res.end(JSON.stringify({ errorDetail: { message }, error: message }) + '\n');
  }

  end(): void {
    if (!this.res.headersSent) this.res.writeHead(200, { 'Content-Type': 'application/json' });
    if (!this.res.writableEnded) this.res.end();
  }
}

function bar(current: number, total: number): string {
  if (total <= 0) return humanSize(current);
  const width = 50;
  const filled = Math.min(width, Math.floor((current / total) * width));
  const arrow = filled < width ? '>' : '';
  return `[${'='.repeat(filled)}${arrow}${' '.repeat(width - filled - arrow.length)}] ${humanSize(current)}/${humanSize(total)}`;
}

function humanSize(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(3).replace(/\.?0+$/, '')}${units[i]}`;
}
