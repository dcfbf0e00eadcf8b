// `compose top` (not yet built)
import type { Command } from 'commander';

export function registerTop(program: Command): void {
  void program;
}
