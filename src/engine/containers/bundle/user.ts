import { BundleError } from './bundle-error.js';

// Resolves a docker `User` string against the container's own /etc/passwd and
// /etc/group, with the rules runc's libcontainer/user applies: names need an
// entry, numeric ids do not, and supplementary groups come from group
// membership only when no group was named explicitly.

export interface ResolvedUser {
  uid: number;
  gid: number;
  additionalGids: number[];
  home: string;
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

const MAX_ID = 2 ** 31 - 1;

function parseId(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const id = Number(text);
  if (id > MAX_ID) throw new BundleError(`uids and gids must be in range 0-${MAX_ID}`);
  return id;
}

/** Lines of a colon-separated database; comments and malformed lines are skipped as libcontainer does. */
function records(file: string | undefined, minFields: number): string[][] {
  if (file === undefined) return [];
  return file
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(':'))
    .filter((fields) => fields.length >= minFields);
}

export function parsePasswd(file: string | undefined): PasswdEntry[] {
  return records(file, 4).map((f) => ({
    name: f[0]!,
    uid: Number(f[2]) || 0,
    gid: Number(f[3]) || 0,
    home: f[5] ?? '',
  }));
}

export function parseGroup(file: string | undefined): GroupEntry[] {
  return records(file, 3).map((f) => ({
    name: f[0]!,
    gid: Number(f[2]) || 0,
    members: (f[3] ?? '').split(',').map((m) => m.trim()).filter((m) => m !== ''),
  }));
}

/** One `GroupAdd` entry: a group name from the container's group file, or a numeric gid. */
function resolveGroupAdd(entry: string, groups: GroupEntry[]): number {
  const byName = groups.find((g) => g.name === entry);
  if (byName) return byName.gid;
  const gid = parseId(entry);
  if (gid === undefined) throw new BundleError(`Unable to find group ${entry}: no matching entries in group file`);
  return gid;
}

export function resolveUser(
  user: string,
  passwd: string | undefined,
  group: string | undefined,
  groupAdd: string[] = [],
): ResolvedUser {
  const colon = user.indexOf(':');
  const userArg = colon < 0 ? user : user.slice(0, colon);
  const groupArg = colon < 0 ? '' : user.slice(colon + 1);

  // An empty user part means root, looked up by uid so root's home is found.
  const userName = userArg === '' ? '0' : userArg;
  const uidArg = parseId(userName);
  const entry = parsePasswd(passwd).find((p) => (uidArg === undefined ? p.name === userName : p.uid === uidArg));
  if (!entry && uidArg === undefined) {
    throw new BundleError(`unable to find user ${userName}: no matching entries in passwd file`);
  }
  const uid = entry ? entry.uid : uidArg!;
  let gid = entry ? entry.gid : 0;
  const home = entry && entry.home !== '' ? entry.home : '/';

  const groups = parseGroup(group);
  const additionalGids: number[] = [];
  if (groupArg !== '') {
    const gidArg = parseId(groupArg);
    const match = groups.find((g) => (gidArg === undefined ? g.name === groupArg : g.gid === gidArg));
    if (match) gid = match.gid;
    else if (gidArg === undefined) throw new BundleError(`unable to find group ${groupArg}: no matching entries in group file`);
    else gid = gidArg;
  } else if (entry) {
    for (const g of groups) if (g.members.includes(entry.name)) additionalGids.push(g.gid);
  }
  for (const extra of groupAdd) additionalGids.push(resolveGroupAdd(extra, groups));

  return { uid, gid, additionalGids: [...new Set(additionalGids)], home };
}
