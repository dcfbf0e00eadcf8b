// `compose stop` (not yet built)
import type { Command } from 'commander';

export function registerStop(program: Command): void {
  void program;
}
