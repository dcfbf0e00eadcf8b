// docker's multiplexed stream framing (stdout/stderr without a TTY): an 8-byte
// header [stream, 0, 0, 0, size uint32 BE] before each payload.

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;

export function frame(stream: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}
