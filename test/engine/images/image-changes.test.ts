import assert from 'node:assert/strict';
import { ApiError } from '../../../src/engine/api/api-error.js';
import { applyChanges } from '../../../src/engine/images/image-changes.js';

describe('engine/images: --change instructions', () => {
  it('applies exec and shell forms, env and label pairs, ports, volumes', () => {
    const c = applyChanges({ Env: ['PATH=/bin', 'A=old'] }, [
      'CMD echo "hi there"',
      'entrypoint ["/init"]',
      'ENV A=new B="two words"',
      'ENV LEGACY some value',
      'LABEL org.x=1 "y z"=2',
      'EXPOSE 53/udp 8000-8001',
      'VOLUME ["/data", "/logs"]',
      'VOLUME /cache',
      'WORKDIR /srv',
      'USER 1000:1000',
      'STOPSIGNAL SIGINT',
      'ONBUILD RUN true',
    ]);
    assert.deepEqual(c.Cmd, ['/bin/sh', '-c', 'echo "hi there"']);
    assert.deepEqual(c.Entrypoint, ['/init']);
    assert.deepEqual(c.Env, ['PATH=/bin', 'A=new', 'B=two words', 'LEGACY=some value']);
    assert.deepEqual(c.Labels, { 'org.x': '1', 'y z': '2' });
    assert.deepEqual(c.ExposedPorts, { '53/udp': {}, '8000-8001/tcp': {} });
    assert.deepEqual(Object.keys(c.Volumes ?? {}), ['/data', '/logs', '/cache']);
    assert.equal(c.WorkingDir, '/srv');
    assert.equal(c.User, '1000:1000');
    assert.equal(c.StopSignal, 'SIGINT');
    assert.deepEqual(c.OnBuild, ['RUN true']);
  });

  it('refuses what docker refuses, as 400s', () => {
    for (const [change, re] of [
      ['RUN true', /RUN is not a valid change command/],
      ['EXPOSE eighty', /invalid port/],
      ['ENV', /requires at least one argument/],
      ['LABEL =x', /is not name=value/],
    ] as const) {
      assert.throws(
        () => applyChanges({}, [change]),
        (e: unknown) => e instanceof ApiError && e.status === 400 && re.test(e.message),
        change,
      );
    }
  });
});
