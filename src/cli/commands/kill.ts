// `compose kill` (not yet built)
import type { Command } from 'commander';

export function registerKill(program: Command): void {
  void program;
}
