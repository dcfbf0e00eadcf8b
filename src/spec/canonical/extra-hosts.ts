// `extra_hosts` as written (mapping, `host=ip` or legacy `host:ip`) becomes
// one list of `host=ip`, the form `docker compose config` prints; several
// addresses for a host become several entries, and `[::1]` loses its brackets.

import { childPosition, isMapping, setChildPosition, setSelfPosition, selfPosition, type Node } from '../tree.js';
import { ListBuilder } from './reshape.js';
import { valueError, type Rule, type Site } from './site.js';

const HINT = 'use HOST=IP, e.g. "somehost=162.242.195.82" or "myhost=::1"';

function unbracket(ip: string): string {
  return ip.length > 2 && ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
}

function checkHost(host: string, site: Site, at: (string | number)[]): void {
  if (host === '' || host.includes(':') || host.includes('=')) {
    throw valueError(site, `bad host name "${host}" in extra_hosts`, HINT, ...at);
  }
}

export const extraHosts: Rule = (value, site) => {
  if (isMapping(value)) {
    const out: Node[] = [];
    setSelfPosition(out, selfPosition(value));
    for (const host of Object.keys(value)) {
      checkHost(host, site, [host]);
      const v = value[host];
      const ips = Array.isArray(v) ? v : [v ?? ''];
      for (const ip of ips) {
        setChildPosition(out, out.length, childPosition(value, host));
        out.push(`${host}=${unbracket(String(ip))}`);
      }
    }
    return out;
  }
  if (!Array.isArray(value)) return value;
  const list = new ListBuilder(value);
  for (let i = 0; i < value.length; i++) {
    const entry = String(value[i]);
    // `=` is preferred; `:` is accepted for docker-compose v1 files.
    let sep = entry.indexOf('=');
    if (sep < 0) sep = entry.indexOf(':');
    if (sep < 0) throw valueError(site, `extra host "${entry}" has no IP address`, HINT, i);
    const host = entry.slice(0, sep);
    checkHost(host, site, [i]);
    for (const ip of entry.slice(sep + 1).split(',')) list.push(`${host}=${unbracket(ip)}`, i);
  }
  return list.out;
};
