// Generates the 1,000-service compose file of the config benchmark: anchors
// and merge keys, ${VAR:-default} interpolation, ports, named volumes, bind
// mounts, tmpfs, two networks, and depends_on on services i-1 and i-7 (the
// same shape as the peers benchmark in the research notes).

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function generateBig(n = 1000) {
  const out = [];
  out.push('x-common: &common');
  out.push('  image: busybox:${BB_TAG:-latest}');
  out.push('  restart: unless-stopped');
  out.push('  networks: [front, back]');
  out.push('  labels:');
  out.push('    com.example.tier: "bench"');
  out.push('x-env: &env');
  out.push('  LOG_LEVEL: ${LOG_LEVEL:-info}');
  out.push('  REGION: ${REGION:-eu}');
  out.push('');
  out.push('services:');
  for (let i = 0; i < n; i++) {
    out.push(`  svc${i}:`);
    out.push('    <<: *common');
    out.push(`    command: ["sleep", "${3600 + i}"]`);
    out.push('    environment:');
    out.push('      <<: *env');
    out.push(`      SERVICE_INDEX: "${i}"`);
    out.push(`      PEER: svc${(i + 1) % n}`);
    out.push(`      DB_URL: postgres://\${DB_USER:-app}:\${DB_PASS:-secret}@db${i}:5432/app`);
    out.push('    ports:');
    out.push(`      - "${20000 + i}:80"`);
    out.push(`      - "127.0.0.1:${30000 + i}:443/tcp"`);
    out.push('    volumes:');
    out.push(`      - data${i % 10}:/var/lib/data`);
    out.push(`      - ./conf/svc${i}:/etc/svc:ro`);
    out.push('      - type: tmpfs');
    out.push('        target: /tmp');
    out.push('    healthcheck:');
    out.push('      test: ["CMD", "true"]');
    out.push('      interval: 30s');
    out.push('      timeout: 5s');
    out.push('      retries: 3');
    const deps = [i - 1, i - 7].filter((d) => d >= 0);
    if (deps.length) {
      out.push('    depends_on:');
      for (const d of deps) out.push(`      - svc${d}`);
    }
  }
  out.push('');
  out.push('networks:');
  out.push('  front: {}');
  out.push('  back:');
  out.push('    internal: true');
  out.push('volumes:');
  for (let v = 0; v < 10; v++) out.push(`  data${v}: {}`);
  return out.join('\n') + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2] ?? 'bench/.work/big/compose.yaml';
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, generateBig(Number(process.argv[3] ?? 1000)));
  console.log(file);
}
