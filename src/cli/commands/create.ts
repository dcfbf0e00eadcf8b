// `compose create` (not yet built)
import type { Command } from 'commander';

export function registerCreate(program: Command): void {
  void program;
}
