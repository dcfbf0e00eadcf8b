// The user's terminal wired to a process in a container (`exec`, `run`):
// raw mode and size changes for a TTY, the streams both ways, and the
// terminal given back whatever way the process ends.

import type { AttachedProcess } from '../project/attached-process.js';

/** Resolves with the process's exit code once it ended. */
export async function attachTerminal(proc: AttachedProcess, tty: boolean): Promise<number> {
  const stdin = process.stdin;
  const stdout = process.stdout;
  const onResize = () => void proc.resize({ height: stdout.rows, width: stdout.columns }).catch(() => {});
  if (tty) {
    stdin.setRawMode(true);
    stdout.on('resize', onResize);
  }
  proc.stdout?.pipe(stdout, { end: false });
  proc.stderr?.pipe(process.stderr, { end: false });
  if (proc.stdin) stdin.pipe(proc.stdin);
  try {
    return await proc.exitCode;
  } finally {
    if (tty) {
      stdout.off('resize', onResize);
      stdin.setRawMode(false);
    }
    if (proc.stdin) stdin.unpipe(proc.stdin);
    // Stop reading the terminal, or the CLI would wait for input that nobody wants.
    stdin.destroy();
  }
}
