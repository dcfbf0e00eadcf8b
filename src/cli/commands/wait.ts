// `compose wait` (not yet built)
import type { Command } from 'commander';

export function registerWait(program: Command): void {
  void program;
}
