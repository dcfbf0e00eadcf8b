// `npm run bench`: every benchmark, side by side with the peers installed here.
import { benchConfigBig, benchStartup } from './config-big.mjs';
import { benchUpDown } from './up-down.mjs';

console.log('# start-up');
benchStartup();
console.log('\n# compose config, 1,000 services');
benchConfigBig();
console.log('\n# up -d, ps, down on dockerd (issue 4)');
benchUpDown();
console.log('\n# the embedded engine: start latency, memory per container, idle memory');
const { benchEngine } = await import('./engine.mjs');
await benchEngine();
console.log('\n# networks on the embedded engine (issue 6): published port throughput, DNS latency');
const { benchNetwork } = await import('./network.mjs');
await benchNetwork();
