// Runs the host's network tools (ip, iptables, sysctl). A failure becomes an
// error that names the command line and carries the tool's own message, so
// a refused change is diagnosable from the API answer alone.

import { execFile } from 'node:child_process';

export class HostCommandError extends Error {
  constructor(
    readonly command: string[],
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(`${command.join(' ')}: ${stderr.trim() || `exit code ${exitCode}`}`);
    this.name = 'HostCommandError';
  }
}

export function runHost(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const code = typeof err.code === 'number' ? err.code : null;
        reject(new HostCommandError([command, ...args], stderr || err.message, code));
      } else resolve(stdout);
    });
  });
}

/** Like runHost, but an error whose message matches `tolerated` counts as done (e.g. "already exists" on an idempotent step). */
export async function runHostTolerating(command: string, args: string[], tolerated: RegExp): Promise<void> {
  try {
    await runHost(command, args);
  } catch (e) {
    if (e instanceof HostCommandError && tolerated.test(e.stderr)) return;
    throw e;
  }
}
