import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';

const HEADER = 8;
const FRAME_STDIN = 0;
const FRAME_CLOSE_STDIN = 3;
const FRAME_RESIZE = 4;
const FRAME_EXITED = 5;

export interface MonitorConnectionEvents {
  output: [stream: 1 | 2, chunk: Buffer];
  /** A run-mode monitor's container ended (exit.json is written); the session closes once the monitor has let go of it. */
  exited: [];
  close: [];
}

/**
 * One attach session on a monitor's socket: output frames in, stdin and
 * resize frames out. Output starts at the moment of connecting; history is
 * the log file's business.
 */
export class MonitorConnection extends EventEmitter<MonitorConnectionEvents> {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly socket: Socket) {
    super();
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.emit('close'));
    socket.on('error', () => {
      // 'close' follows; the monitor ending a session is not an error for the reader.
    });
  }

  writeStdin(data: Buffer | string): void {
    this.send(FRAME_STDIN, typeof data === 'string' ? Buffer.from(data) : data);
  }

  closeStdin(): void {
    this.send(FRAME_CLOSE_STDIN, Buffer.alloc(0));
  }

  resize(rows: number, cols: number): void {
    const size = Buffer.alloc(4);
    size.writeUInt16BE(rows, 0);
    size.writeUInt16BE(cols, 2);
    this.send(FRAME_RESIZE, size);
  }

  close(): void {
    this.socket.end();
  }

  private send(type: number, payload: Buffer): void {
    // Once the monitor has ended the session there is no one to take input;
    // writing anyway would only raise an error on a finished connection.
    if (!this.socket.writable) return;
    const header = Buffer.alloc(HEADER);
    header[0] = type;
    header.writeUInt32BE(payload.length, 4);
    this.socket.write(Buffer.concat([header, payload]));
  }

  private receive(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= HEADER) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < HEADER + size) break;
      const type = this.pending[0];
      const payload = this.pending.subarray(HEADER, HEADER + size);
      this.pending = this.pending.subarray(HEADER + size);
      if (type === FRAME_EXITED) this.emit('exited');
      else this.emit('output', type === 2 ? 2 : 1, payload);
    }
  }
}

/**
 * Connects to <stateDir>/attach.sock. A monitor that was just spawned may not
 * be listening yet, so a missing or refusing socket is retried until `waitMs`.
 */
export async function connectMonitor(stateDir: string, waitMs = 5000): Promise<MonitorConnection> {
  const path = join(stateDir, 'attach.sock');
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return new MonitorConnection(await open(path));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // The monitor records the exit before it stops listening: with the
      // record there, the socket is gone for good, not yet to come.
      const retriable = (code === 'ENOENT' || code === 'ECONNREFUSED') && !existsSync(join(stateDir, 'exit.json'));
      if (!retriable || Date.now() >= deadline) {
        throw new Error(`cannot attach to the container monitor at ${path}: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

function open(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.removeListener('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}
