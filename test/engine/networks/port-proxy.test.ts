import assert from 'node:assert/strict';
import { createServer, connect, type Server } from 'node:net';
import { PortInUseError, PublishedPorts } from '../../../src/engine/networks/port-proxy.js';

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => connect(port, '127.0.0.1').on('connect', function (this: import('node:net').Socket) { this.destroy(); resolve(true); }).on('error', () => resolve(false)));
}

describe('engine networks: port proxy', () => {
  it('refuses a port in use with a message naming it', async () => {
    const squatter = createServer();
    const taken = await listen(squatter);
    const target = createServer((s) => s.end('x'));
    const targetPort = await listen(target);
    try {
      await assert.rejects(
        PublishedPorts.open({ [`${targetPort}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '0' }, { HostIp: '127.0.0.1', HostPort: String(taken) }] }, '127.0.0.1'),
        (e: unknown) => e instanceof PortInUseError && e.message === `Bind for 127.0.0.1:${taken}/tcp failed: port is already allocated` && e.hostPort === taken,
      );
    } finally {
      squatter.close();
      target.close();
    }
  });

  it('closes the listeners it had opened when a later binding fails', async () => {
    const squatter = createServer();
    const taken = await listen(squatter);
    const probe = createServer();
    const wanted = await listen(probe);
    await new Promise((r) => probe.close(r));
    try {
      await assert.rejects(
        PublishedPorts.open({ '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(wanted) }], '81/tcp': [{ HostIp: '127.0.0.1', HostPort: String(taken) }] }, '127.0.0.1'),
        PortInUseError,
      );
      assert.equal(await canConnect(wanted), false, `port ${wanted} was left listening`);
    } finally {
      squatter.close();
    }
  });

  it('takes the first free port of a host range, and maps container ranges one to one', async () => {
    const squatter = createServer();
    const taken = await listen(squatter);
    const target = createServer((s) => s.end('hello'));
    const targetPort = await listen(target);
    try {
      const { ports, bound } = await PublishedPorts.open({ [`${targetPort}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: `${taken}-${taken + 1}` }] }, '127.0.0.1');
      assert.deepEqual(bound, { [`${targetPort}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(taken + 1) }] });
      const got = await new Promise<string>((resolve) => {
        let text = '';
        connect(taken + 1, '127.0.0.1').on('data', (d) => (text += d)).on('end', () => resolve(text));
      });
      assert.equal(got, 'hello');
      await ports.close();
      const ranged = await PublishedPorts.open({ '7000-7001/udp': [{ HostIp: '127.0.0.1', HostPort: '' }] }, '127.0.0.1');
      assert.deepEqual(Object.keys(ranged.bound), ['7000/udp', '7001/udp']);
      await ranged.ports.close();
    } finally {
      squatter.close();
      target.close();
    }
  });

  it('rejects malformed bindings with the key in the message', async () => {
    await assert.rejects(PublishedPorts.open({ 'http/tcp': [{}] }, '127.0.0.1'), /invalid container port in "http\/tcp"/);
    await assert.rejects(PublishedPorts.open({ '80/sctp': [{}] }, '127.0.0.1'), /sctp ports are not supported/);
    await assert.rejects(PublishedPorts.open({ '80-81/tcp': [{ HostIp: '127.0.0.1', HostPort: '9000-9004' }] }, '127.0.0.1'), /host range must have 2 ports/);
  });
});
