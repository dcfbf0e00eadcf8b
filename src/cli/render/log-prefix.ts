// The `web-1  | ` before each log line: padded to the longest container name
// known so far, coloured per service. A service keeps its colour for the
// whole run; services get colours in name order, so the same project looks
// the same every time.

import { LOG_COLORS, sgr } from '../style.js';

export class LogPrefixes {
  private width = 0;
  private readonly colorOf = new Map<string, string>();
  private readonly cache = new Map<string, string>();

  constructor(private readonly color: boolean) {}

  /** Makes room for these containers before any line is printed (and for later ones as they come). */
  add(sources: { source: string; service: string }[]): void {
    const services = [...new Set(sources.map((s) => s.service))].sort();
    for (const s of services) if (!this.colorOf.has(s)) this.colorOf.set(s, LOG_COLORS[this.colorOf.size % LOG_COLORS.length]!);
    const widest = Math.max(this.width, ...sources.map((s) => s.source.length));
    if (widest !== this.width) {
      this.width = widest;
      this.cache.clear();
    }
  }

  /** `web-1  | `, coloured when colour is on. */
  prefix(source: string, service: string): string {
    let p = this.cache.get(source);
    if (p === undefined) {
      if (source.length > this.width || !this.colorOf.has(service)) this.add([{ source, service }]);
      const text = `${source.padEnd(this.width + 1)} | `;
      p = this.color ? sgr(this.colorOf.get(service)!, text) : text;
      this.cache.set(source, p);
    }
    return p;
  }
}
