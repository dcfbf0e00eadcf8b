// `compose images` (not yet built)
import type { Command } from 'commander';

export function registerImages(program: Command): void {
  void program;
}
