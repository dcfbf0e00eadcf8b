// `compose up` (not yet built)
import type { Command } from 'commander';

export function registerUp(program: Command): void {
  void program;
}
