// `compose pause` (not yet built)
import type { Command } from 'commander';

export function registerPause(program: Command): void {
  void program;
}
