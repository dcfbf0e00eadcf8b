// `compose run` (not yet built)
import type { Command } from 'commander';

export function registerRun(program: Command): void {
  void program;
}
