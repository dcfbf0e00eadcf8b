// `compose cp` (not yet built)
import type { Command } from 'commander';

export function registerCp(program: Command): void {
  void program;
}
