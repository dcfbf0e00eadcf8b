// The config hash that decides recreation (`config --hash`, label com.docker.compose.config-hash).
import type { ServiceConfig } from './types.js';

export function serviceConfigHash(service: ServiceConfig): string {
  void service;
  throw new Error('not implemented');
}
