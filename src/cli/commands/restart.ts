// `compose restart` (not yet built)
import type { Command } from 'commander';

export function registerRestart(program: Command): void {
  void program;
}
