// `compose port` (not yet built)
import type { Command } from 'commander';

export function registerPort(program: Command): void {
  void program;
}
