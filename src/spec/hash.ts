// The config hash that decides recreation (`config --hash`, label
// com.docker.compose.config-hash): sha256 over the service's content in a
// canonical JSON form (keys sorted, so the order things were written in
// does not matter).
//
// Left out, because changing them never calls for a new container:
//   build, pull_policy  how the image is obtained; a rebuilt or re-pulled
//                       image is caught by comparing image ids, not config.
//   scale, deploy.replicas
//                       how many containers; scaling adds or removes them.
//   depends_on          start order and waiting, not the container itself.
//   profiles            whether the service is selected at all.
//   develop             `watch` rules, carried out by the client.
//   attach              whether `up` streams the logs.
//   env_file            its contents are already in `environment` (normalize
//                       reads them), which is what the container gets.
//   name, x-*           the service's key (the container's identity, kept in
//                       its own label) and extensions for other tools.
// The same list as docker compose's ServiceHash, plus develop, attach and
// env_file. The hex differs from docker compose's (which hashes Go's JSON
// of its struct), so a container created by docker compose is recreated
// once when gantry first takes it over.
//
// A member that is null or an empty mapping is the same as one left out
// (`labels: {}` makes the same container as no labels); an empty sequence
// is not (`command: []` clears the image's command).

import { createRequire } from 'node:module';
import type { ServiceConfig } from './types.js';

type Crypto = typeof import('node:crypto');
let crypto: Crypto | undefined;

/** node:crypto on first use: loading it is a noticeable part of a start-up that hashes nothing (`compose config`). */
function cryptoModule(): Crypto {
  return (crypto ??= createRequire(import.meta.url)('node:crypto') as Crypto);
}

const NOT_HASHED = new Set(['name', 'build', 'pull_policy', 'scale', 'depends_on', 'profiles', 'develop', 'attach', 'env_file']);

/** JSON with object keys sorted at every level; undefined members left out. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return value === undefined ? 'null' : JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return out + ']';
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const key of Object.keys(record).sort()) {
    const v = record[key];
    if (v === undefined) continue;
    out += (first ? '' : ',') + JSON.stringify(key) + ':' + canonicalJson(v);
    first = false;
  }
  return out + '}';
}

function isEmptyMapping(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
}

/** The members of a service that feed the hash, as they are hashed. */
function hashedAttributes(service: ServiceConfig): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const key of Object.keys(service).sort()) {
    if (NOT_HASHED.has(key) || key.startsWith('x-')) continue;
    let v = service[key];
    if (key === 'deploy' && typeof v === 'object' && v !== null) {
      const { replicas: _replicas, ...rest } = v as Record<string, unknown>;
      v = rest;
    }
    if (v === undefined || v === null || isEmptyMapping(v)) continue;
    out.set(key, v);
  }
  return out;
}

function sha256(text: string): string {
  return cryptoModule().createHash('sha256').update(text).digest('hex');
}

/** A stable sha256 (hex) that changes exactly when the service needs a new container. */
export function serviceConfigHash(service: ServiceConfig): string {
  let text = '{';
  let first = true;
  for (const [key, v] of hashedAttributes(service)) {
    text += (first ? '' : ',') + JSON.stringify(key) + ':' + canonicalJson(v);
    first = false;
  }
  return sha256(text + '}');
}

/**
 * A short digest (12 hex digits) of each attribute that feeds the hash, so a
 * planner that sees the hash change can name the attributes that changed.
 */
export function serviceFieldDigests(service: ServiceConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, v] of hashedAttributes(service)) out[key] = sha256(canonicalJson(v)).slice(0, 12);
  return out;
}
