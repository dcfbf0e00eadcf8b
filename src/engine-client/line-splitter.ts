// Bytes → lines, across chunk boundaries. Splitting happens on bytes, before
// decoding, so a UTF-8 character cut in two by a chunk boundary stays whole.

export class LineSplitter {
  private partial: Buffer[] = [];

  /** The lines `chunk` completes, without their `\n` (nor a `\r` before it). */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      let piece = chunk.subarray(start, nl);
      if (this.partial.length) {
        piece = Buffer.concat([...this.partial, piece]);
        this.partial = [];
      }
      lines.push(decodeLine(piece));
      start = nl + 1;
    }
    if (start < chunk.length) this.partial.push(chunk.subarray(start));
    return lines;
  }

  /** True while a line has begun but not ended. */
  get midLine(): boolean {
    return this.partial.length > 0;
  }

  /** The last line when the stream ended without a newline. */
  flush(): string | undefined {
    if (!this.partial.length) return undefined;
    const rest = Buffer.concat(this.partial);
    this.partial = [];
    return decodeLine(rest);
  }
}

function decodeLine(b: Buffer): string {
  const end = b.length && b[b.length - 1] === 13 ? b.length - 1 : b.length;
  return b.toString('utf8', 0, end);
}
