// `compose start` (not yet built)
import type { Command } from 'commander';

export function registerStart(program: Command): void {
  void program;
}
