// `compose rm` (not yet built)
import type { Command } from 'commander';

export function registerRm(program: Command): void {
  void program;
}
