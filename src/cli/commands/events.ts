// `compose events` (not yet built)
import type { Command } from 'commander';

export function registerEvents(program: Command): void {
  void program;
}
