// `compose scale` (not yet built)
import type { Command } from 'commander';

export function registerScale(program: Command): void {
  void program;
}
