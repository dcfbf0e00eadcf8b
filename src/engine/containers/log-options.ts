// `HostConfig.LogConfig` for the json-file driver: `max-size` and `max-file`.

import { badRequest } from '../api/api-error.js';
import type { HostConfig } from './docker-types.js';

export interface LogLimits {
  maxSize: number;
  maxFiles: number;
}

export function logLimits(hostConfig: HostConfig): LogLimits {
  const type = hostConfig.LogConfig?.Type || 'json-file';
  if (type !== 'json-file' && type !== 'local' && type !== 'none') {
    throw badRequest(`logging driver "${type}" is not supported by this engine; use json-file`);
  }
  const cfg = hostConfig.LogConfig?.Config ?? {};
  for (const key of Object.keys(cfg)) {
    if (!['max-size', 'max-file', 'compress', 'labels', 'env', 'tag', 'mode'].includes(key)) {
      throw badRequest(`unknown log opt '${key}' for json-file log driver`);
    }
  }
  const maxSize = cfg['max-size'] ? parseSize(cfg['max-size']) : 0;
  const maxFiles = cfg['max-file'] ? Number(cfg['max-file']) : 1;
  if (!Number.isInteger(maxFiles) || maxFiles < 1) throw badRequest(`invalid value for max-file: ${cfg['max-file']}; it must be a positive integer`);
  if (maxFiles > 1 && maxSize === 0) throw badRequest('max-file cannot be set without max-size');
  return { maxSize, maxFiles };
}

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(text.trim());
  if (!m) throw badRequest(`invalid value for max-size: ${text}; use a size such as 10m`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.floor(Number(m[1]) * unit);
}
