import assert from 'node:assert/strict';
import { parseLink } from '../../../src/engine/containers/container-network.js';
import type { ContainerRecord } from '../../../src/engine/containers/container-record.js';
import { NameTable } from '../../../src/engine/networks/name-table.js';

describe('engine networks: name table links', () => {
  const net = 'n1';
  let table: NameTable;
  beforeEach(() => {
    table = new NameTable();
    table.addNetwork(net, 'proj_default', '10.90.0.0/16');
    table.add({ containerId: 'db1', networkId: net, address: '10.90.0.2', names: ['proj-db-1', 'db'] });
    table.add({ containerId: 'web1', networkId: net, address: '10.90.0.3', names: ['proj-web-1', 'web'], links: [{ alias: 'Database', target: 'proj-db-1' }] });
    table.add({ containerId: 'other1', networkId: net, address: '10.90.0.4', names: ['proj-other-1', 'other'] });
  });

  it('answers a link alias to the linking container only', () => {
    assert.deepEqual(table.resolve('database', net, '10.90.0.3'), { kind: 'found', values: ['10.90.0.2'] });
    assert.deepEqual(table.resolve('DATABASE.', net, '10.90.0.3'), { kind: 'found', values: ['10.90.0.2'] });
    assert.deepEqual(table.resolve('database', net, '10.90.0.4'), { kind: 'nxdomain' });
    // An asker the table does not know (the host, another engine's address) sees no links either.
    assert.deepEqual(table.resolve('database', net, '10.90.0.99'), { kind: 'nxdomain' });
  });

  it('follows the link target by name, so a recreated target is found at its new address', () => {
    table.remove('db1', net);
    assert.deepEqual(table.resolve('database', net, '10.90.0.3'), { kind: 'nxdomain' });
    table.add({ containerId: 'db2', networkId: net, address: '10.90.0.7', names: ['proj-db-1', 'db'] });
    assert.deepEqual(table.resolve('database', net, '10.90.0.3'), { kind: 'found', values: ['10.90.0.7'] });
  });

  it('leaves the other names of the linking container alone', () => {
    assert.deepEqual(table.resolve('db', net, '10.90.0.3'), { kind: 'found', values: ['10.90.0.2'] });
    assert.deepEqual(table.resolve('other', net, '10.90.0.3'), { kind: 'found', values: ['10.90.0.4'] });
  });
});

describe('engine networks: links as the API carries them', () => {
  const records = new Map([['abc123', { Id: 'abc123', Name: '/proj-db-1' }]]);
  const svc = { lookup: (ref: string) => (records.get(ref) ?? [...records.values()].find((r) => r.Name === `/${ref.replace(/^\//, '')}`)) as ContainerRecord | undefined };

  it('reads name:alias, docker\'s /name:/linker/alias and a bare name', () => {
    assert.deepEqual(parseLink(svc, 'proj-db-1:database'), { alias: 'database', target: 'proj-db-1' });
    assert.deepEqual(parseLink(svc, '/proj-db-1:/proj-web-1/database'), { alias: 'database', target: 'proj-db-1' });
    assert.deepEqual(parseLink(svc, 'proj-db-1'), { alias: 'proj-db-1', target: 'proj-db-1' });
  });

  it('names a target given by id by its container name', () => {
    assert.deepEqual(parseLink(svc, 'abc123:db'), { alias: 'db', target: 'proj-db-1' });
    assert.deepEqual(parseLink(svc, 'gone:db'), { alias: 'db', target: 'gone' });
  });
});
