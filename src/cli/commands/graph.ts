// `compose graph` (not yet built)
import type { Command } from 'commander';

export function registerGraph(program: Command): void {
  void program;
}
