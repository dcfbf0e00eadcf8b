// Imports a root filesystem tar (stdin) as an image into an engine:
// `node scripts/import-image.mjs [--socket /run/gantry/engine.sock] busybox:latest < rootfs.tar`.
// The same call as `docker import`, for machines without the docker CLI.
import { request } from 'node:http';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ options: { socket: { type: 'string', default: '/run/gantry/engine.sock' }, change: { type: 'string', multiple: true, default: ['CMD ["sh"]'] } }, allowPositionals: true });
const ref = positionals[0];
if (!ref) {
  console.error('usage: node scripts/import-image.mjs [--socket PATH] NAME:TAG < rootfs.tar');
  process.exit(2);
}
const colon = ref.lastIndexOf(':');
const [repo, tag] = colon > ref.lastIndexOf('/') ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, 'latest'];
const query = new URLSearchParams({ fromSrc: '-', repo, tag });
for (const c of values.change) query.append('changes', c);
const req = request({ socketPath: values.socket, method: 'POST', path: `/images/create?${query}`, headers: { 'Content-Type': 'application/x-tar' } }, (res) => {
  let text = '';
  res.on('data', (c) => (text += c));
  res.on('end', () => {
    if (res.statusCode !== 200) {
      console.error(`import failed (${res.statusCode}): ${text}`);
      process.exit(1);
    }
    console.log(`imported ${repo}:${tag}`);
  });
});
req.on('error', (e) => {
  console.error(`cannot reach the engine at ${values.socket}: ${e.message}`);
  process.exit(1);
});
process.stdin.pipe(req);
