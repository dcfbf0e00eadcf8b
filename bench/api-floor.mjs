// The floor under any compose client on a given engine: the fewest Engine
// API calls that bring up-down.mjs's generated project up and down (one
// network, create + start per container with every container in flight at
// once, only the declared depends_on waits; stop + remove in parallel on
// down), in a process of its own like the tools it is compared with. When
// this floor is most of a tool's time, the engine is what is being measured,
// not the client.
//
//   node bench/api-floor.mjs -p <project> -f compose.yaml up -d | ps | down

import { readFileSync } from 'node:fs';
import Docker from 'dockerode';

const args = process.argv.slice(2);
const project = args[args.indexOf('-p') + 1];
const file = args[args.indexOf('-f') + 1];
const command = args[args.indexOf('-f') + 2];
const docker = new Docker();
const label = { 'bench.floor.project': project };
const filters = JSON.stringify({ label: [`bench.floor.project=${project}`] });

/** Services and their one dependency, from the generator's fixed layout. */
function services() {
  const out = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const svc = /^ {2}(s\d+):$/.exec(line);
    if (svc) out.push({ name: svc[1], dependsOn: undefined, command: undefined });
    const cmd = /^ {4}command: (.*)$/.exec(line);
    if (cmd) out.at(-1).command = JSON.parse(cmd[1]);
    const dep = /^ {6}- (s\d+)$/.exec(line);
    if (dep) out.at(-1).dependsOn = dep[1];
  }
  return out;
}

async function up() {
  const existing = await docker.listContainers({ all: true, filters });
  if (existing.length > 0) return;
  const network = `${project}_default`;
  await docker.createNetwork({ Name: network, Labels: label });
  const started = new Map();
  const startOne = async (svc) => {
    if (svc.dependsOn) await started.get(svc.dependsOn);
    const c = await docker.createContainer({
      name: `${project}-${svc.name}-1`,
      Image: 'busybox:latest',
      Cmd: svc.command,
      Labels: label,
      HostConfig: { NetworkMode: network },
    });
    await c.start();
  };
  for (const svc of services()) started.set(svc.name, startOne(svc));
  await Promise.all(started.values());
}

async function down() {
  const list = await docker.listContainers({ all: true, filters });
  await Promise.all(
    list.map(async (info) => {
      const c = docker.getContainer(info.Id);
      if (info.State === 'running') await c.stop({ t: 10 });
      await c.remove();
    }),
  );
  const nets = await docker.listNetworks({ filters });
  await Promise.all(nets.map((n) => docker.getNetwork(n.Id).remove()));
}

async function ps() {
  await docker.listContainers({ all: false, filters });
}

const commands = { up, down, ps };
if (!commands[command]) {
  console.error(`api-floor: unknown command ${command}`);
  process.exit(2);
}
await commands[command]();
