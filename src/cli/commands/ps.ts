// `compose ps` (not yet built)
import type { Command } from 'commander';

export function registerPs(program: Command): void {
  void program;
}
