import assert from 'node:assert/strict';
import { buildGraph, toDot, toMermaid } from '../../src/graph/index.js';
import type { Project, ServiceConfig, ServiceDependency } from '../../src/spec/types.js';

function project(services: Record<string, Partial<ServiceConfig>>): Project {
  const named = Object.fromEntries(Object.entries(services).map(([n, s]) => [n, { name: n, ...s }]));
  return { name: 'shop', services: named } as unknown as Project;
}

const dep = (condition: ServiceDependency['condition'] = 'service_started', required = true): ServiceDependency => ({ condition, required });

// Every kind of edge, names Mermaid cannot take as ids, and services declared
// out of name order: the output must be sorted all the same.
const shop = project({
  web: { depends_on: { api: dep(), db: dep('service_healthy') } },
  api: { depends_on: { db: dep(), cache: dep(), migrate: dep('service_completed_successfully') }, links: ['cache:redis'] },
  worker: {
    depends_on: { metrics: dep('service_started', false), absent: dep('service_started', false) },
    network_mode: 'service:vpn',
    volumes_from: ['data:ro', 'container:legacy'],
  },
  db: {},
  cache: {},
  migrate: {},
  metrics: {},
  vpn: {},
  data: {},
  'my-app': { depends_on: { end: dep('service_healthy', false) } },
  end: {},
  my_app: {},
});

describe('graph: mermaid', () => {
  it('draws every service and one labelled arrow per pair (golden)', () => {
    assert.equal(
      toMermaid(buildGraph(shop)),
      `flowchart TD
    api
    cache
    data
    db
    s_end["end"]
    metrics
    migrate
    my_app_2["my-app"]
    my_app
    vpn
    web
    worker
    api -->|links| cache
    api --> db
    api -->|completed| migrate
    my_app_2 -.->|healthy| s_end
    web --> api
    web -->|healthy| db
    worker -->|volumes_from| data
    worker -.-> metrics
    worker -->|network| vpn
`,
    );
  });

  it('does not depend on declaration order', () => {
    const reversed = project(Object.fromEntries(Object.entries(shop.services).reverse()));
    assert.equal(toMermaid(buildGraph(reversed)), toMermaid(buildGraph(shop)));
  });

  it('joins labels of a pair and draws it solid when any reference is required', () => {
    const g = buildGraph(project({ a: { depends_on: { b: dep('service_healthy', false) }, links: ['b'], network_mode: 'service:b' }, b: {} }));
    assert.equal(toMermaid(g), 'flowchart TD\n    a\n    b\n    a -->|healthy, links, network| b\n');
  });
});

describe('graph: dot', () => {
  it('draws every service and one labelled edge per pair (golden)', () => {
    assert.equal(
      toDot(buildGraph(shop)),
      `digraph "shop" {
  node [shape=box];
  "api";
  "cache";
  "data";
  "db";
  "end";
  "metrics";
  "migrate";
  "my-app";
  "my_app";
  "vpn";
  "web";
  "worker";
  "api" -> "cache" [label="links"];
  "api" -> "db";
  "api" -> "migrate" [label="completed"];
  "my-app" -> "end" [label="healthy", style=dashed];
  "web" -> "api";
  "web" -> "db" [label="healthy"];
  "worker" -> "data" [label="volumes_from"];
  "worker" -> "metrics" [style=dashed];
  "worker" -> "vpn" [label="network"];
}
`,
    );
  });

  it('quotes names so any project name stays one token', () => {
    const g = buildGraph({ name: 'say "hi"\\', services: { a: { name: 'a' } } } as unknown as Project);
    assert.equal(toDot(g), 'digraph "say \\"hi\\"\\\\" {\n  node [shape=box];\n  "a";\n}\n');
  });
});
