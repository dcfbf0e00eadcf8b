// `compose down` (not yet built)
import type { Command } from 'commander';

export function registerDown(program: Command): void {
  void program;
}
