// `compose push` (not yet built)
import type { Command } from 'commander';

export function registerPush(program: Command): void {
  void program;
}
