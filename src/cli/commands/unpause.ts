// `compose unpause` (not yet built)
import type { Command } from 'commander';

export function registerUnpause(program: Command): void {
  void program;
}
