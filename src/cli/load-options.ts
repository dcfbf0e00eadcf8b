// Global flags → the loader's options. Shared by every command that reads the project.

import type { Command } from 'commander';
import type { LoadOptions, Warning } from '../project/index.js';
import { renderWarning } from './render-error.js';

export interface GlobalFlags {
  file: string[];
  projectName?: string;
  projectDirectory?: string;
  profile: string[];
  envFile: string[];
  verbose?: boolean;
  host?: string;
}

/** The engine flags every engine-facing command passes to project/. */
export function engineOptionsFrom(cmd: Command): { host?: string; onNotice: (message: string) => void } {
  const g = cmd.optsWithGlobals() as GlobalFlags;
  return { host: g.host, onNotice: (message) => process.stderr.write(`${message}\n`) };
}

export function loadOptionsFrom(cmd: Command, extra: Partial<LoadOptions> = {}): LoadOptions {
  const g = cmd.optsWithGlobals() as GlobalFlags;
  return {
    files: g.file.length ? g.file : undefined,
    projectName: g.projectName,
    projectDirectory: g.projectDirectory,
    profiles: g.profile.length ? g.profile : undefined,
    envFiles: g.envFile.length ? g.envFile : undefined,
    onWarning: (w: Warning) => process.stderr.write(renderWarning(w) + '\n'),
    ...extra,
  };
}
