// The library entry point: `import { loadProject } from 'gantry'`.
export * from './project/index.js';
export { GantryError, GantryErrors, ExitCode } from './common/errors.js';
export type { ErrorKind, Position } from './common/errors.js';
