// `compose ls` (not yet built)
import type { Command } from 'commander';

export function registerLs(program: Command): void {
  void program;
}
