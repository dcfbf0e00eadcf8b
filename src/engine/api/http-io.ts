// Reading requests and writing answers the way dockerd does: JSON bodies,
// docker's boolean query values, `filters` as a JSON map of lists.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest } from './api-error.js';

export async function readBody(req: IncomingMessage, limit = 64 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw badRequest(`request body larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A JSON body, or `{}` when the client sent none (docker clients do that). */
export async function readJson<T = Record<string, unknown>>(req: IncomingMessage): Promise<T> {
  const raw = await readBody(req);
  if (raw.length === 0) return {} as T;
  try {
    return JSON.parse(raw.toString('utf8')) as T;
  } catch (e) {
    throw badRequest(`invalid JSON body: ${(e as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value) + '\n');
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': body.length });
  res.end(body);
}

export function sendEmpty(res: ServerResponse, status = 204): void {
  res.writeHead(status);
  res.end();
}

/** docker's boolean query values: 1/true/True are true, 0/false/empty false. */
export function queryBool(query: URLSearchParams, name: string, fallback = false): boolean {
  const v = query.get(name);
  if (v === null) return fallback;
  return v === '1' || v.toLowerCase() === 'true';
}

export function queryInt(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw badRequest(`invalid value for ${name}: ${v}`);
  return n;
}

export type Filters = Record<string, string[]>;

/** `filters={"label":["a=b"]}`; the old map form `{"label":{"a=b":true}}` too. */
export function queryFilters(query: URLSearchParams): Filters {
  const raw = query.get('filters');
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw badRequest(`invalid filter: ${raw}`);
  }
  const out: Filters = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (Array.isArray(value)) out[key] = value.map(String);
    else if (value && typeof value === 'object') out[key] = Object.keys(value);
    else throw badRequest(`invalid filter '${key}'`);
  }
  return out;
}

/** Checks filter names against those an endpoint knows, as dockerd does. */
export function checkFilterNames(filters: Filters, known: string[]): void {
  for (const key of Object.keys(filters)) {
    if (!known.includes(key)) throw badRequest(`invalid filter '${key}'`);
  }
}

/** `label` filters: `key` (present) or `key=value`. */
export function matchLabels(labels: Record<string, string> | undefined, wanted: string[] | undefined): boolean {
  if (!wanted) return true;
  const have = labels ?? {};
  return wanted.every((w) => {
    const eq = w.indexOf('=');
    if (eq < 0) return w in have;
    return have[w.slice(0, eq)] === w.slice(eq + 1);
  });
}
