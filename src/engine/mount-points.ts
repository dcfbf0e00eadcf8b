// What is mounted in the engine's mount namespace: overlay snapshots and
// driver-option volumes both ask before mounting or unmounting.

import { readFileSync } from 'node:fs';

/** Mount points of this mount namespace (/proc/self/mountinfo's fifth field), octal escapes undone. */
export function mountPoints(): Set<string> {
  const out = new Set<string>();
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const field = line.split(' ')[4];
    if (field) out.add(field.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8))));
  }
  return out;
}
