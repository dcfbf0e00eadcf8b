// Container names: docker's rule for what a name may be, and a made-up
// `adjective_noun` name when the request gives none.

import { randomInt } from 'node:crypto';
import { badRequest } from '../api/api-error.js';

const NAME = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function checkName(name: string): string {
  if (!NAME.test(name)) throw badRequest(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  return name.startsWith('/') ? name : `/${name}`;
}

const ADJECTIVES = ['brave', 'calm', 'eager', 'fond', 'keen', 'lucid', 'merry', 'nimble', 'quiet', 'sharp', 'steady', 'tender', 'vivid', 'witty', 'zen'];
const NOUNS = ['almeida', 'babbage', 'curie', 'dijkstra', 'euclid', 'fermat', 'galois', 'hopper', 'knuth', 'lovelace', 'noether', 'pascal', 'ritchie', 'turing', 'wozniak'];

export function madeUpName(taken: (name: string) => boolean): string {
  for (let i = 0; ; i++) {
    const base = `${ADJECTIVES[randomInt(ADJECTIVES.length)]}_${NOUNS[randomInt(NOUNS.length)]}`;
    const name = i < 10 ? base : `${base}${randomInt(1000)}`;
    if (!taken(`/${name}`)) return `/${name}`;
  }
}
