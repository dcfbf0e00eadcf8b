// `compose pull` (not yet built)
import type { Command } from 'commander';

export function registerPull(program: Command): void {
  void program;
}
