// Writes many small pieces of text to a stream quickly and politely: pieces
// are gathered into chunks of up to 64 KiB and written when the chunk is full
// or when the producer pauses (the event loop gets a turn), so a 200,000-line
// log is a few hundred writes, while a slow `logs -f` still shows each line at
// once. When the stream's buffer is full the caller is handed a promise to
// wait on, so a slow reader (a pager, a pipe) slows the source down.

const CHUNK = 64 * 1024;

export class LineWriter {
  private pending = '';
  private scheduled = false;
  private blocked: Promise<void> | undefined;
  private release: (() => void) | undefined;
  /** Set once the stream failed (a closed pipe: `compose logs | head`); nothing more is written. */
  broken = false;

  constructor(private readonly out: NodeJS.WritableStream) {
    out.on('error', () => {
      this.broken = true;
      this.pending = '';
      this.release?.();
    });
  }

  /** Queues text; returns a promise when the caller should wait before writing more. */
  write(text: string): Promise<void> | undefined {
    this.pending += text;
    if (this.pending.length >= CHUNK) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
    return this.blocked;
  }

  /** Writes what is queued; settles once the stream has taken it. */
  async end(): Promise<void> {
    this.flush();
    while (this.blocked) await this.blocked;
  }

  private flush(): void {
    if (!this.pending || this.broken) return;
    const text = this.pending;
    this.pending = '';
    if (!this.out.write(text) && !this.blocked) {
      this.blocked = new Promise((resolve) => {
        this.release = () => {
          this.blocked = undefined;
          this.release = undefined;
          resolve();
        };
        this.out.once('drain', this.release);
      });
    }
  }
}
