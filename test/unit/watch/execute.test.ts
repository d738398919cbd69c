import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TsComposeError } from '../../../src/core/errors.js';
import type { ExecRequest } from '../../../src/engine/engine.js';
import type { WatchAction } from '../../../src/watch/actions.js';
import { REMOVAL_TYPEFLAG } from '../../../src/watch/archive.js';
import type { WatchEvent } from '../../../src/watch/events.js';
import { WatchExecutor, type WatchRuntime } from '../../../src/watch/execute.js';
import { FakeClock } from '../../support/fake-clock.js';

async function read(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

/** A fake engine for the executor's decisions: it records calls and answers as told. */
function fakeRuntime(behaviour: { removal: 'refuse' | 'accept' | 'error'; rmExit: number }) {
  const calls: string[] = [];
  const existing = new Set<string>();
  let release: (() => void) | undefined;
  let gate: Promise<void> | undefined;
  const runtime: WatchRuntime = {
    engine: {
      async putArchive(id, _path, archive) {
        const bytes = await read(archive);
        const removal = String.fromCharCode(bytes[bytes.length - 3 * 512 + 156] ?? 0) === REMOVAL_TYPEFLAG;
        if (removal) {
          const name = `/${bytes.subarray(0, 100).toString('latin1').replace(/\0.*$/s, '')}`;
          calls.push(`remove-archive ${id} ${name}`);
          if (behaviour.removal === 'accept') existing.add(name);
          if (behaviour.removal === 'refuse')
            throw new TsComposeError(
              'cannot copy files into container: Error processing tar file(exit status 1): unhandled tar header type 90',
              { code: 'engine.error' },
            );
          if (behaviour.removal === 'error')
            throw new TsComposeError('cannot copy files into container: read-only file system', {
              code: 'engine.error',
            });
          return;
        }
        calls.push(`put ${id} ${bytes.length}`);
        if (gate) await gate;
      },
      async exec(id, request: ExecRequest) {
        calls.push(`exec ${id} ${request.cmd.join(' ')}`);
        if (request.cmd[0] === 'rm') return behaviour.rmExit;
        request.stdout.write('checked\n');
        return 0;
      },
      async statPath(_id, path) {
        return existing.has(path)
          ? { name: path, size: 0, mode: 0o644, mtime: '', linkTarget: '' }
          : undefined;
      },
    },
    containers: async (service) => [{ id: `${service}-1`, name: `demo-${service}-1` }],
    forget: () => {},
    restart: async (service) => {
      calls.push(`restart ${service}`);
    },
    rebuild: async (service) => {
      calls.push(`rebuild ${service}`);
      if (service === 'broken')
        throw new TsComposeError('build of service "broken" failed at step 2/3', {
          code: 'build.failed',
          details: ['RUN false', 'exit code 1'],
        });
      return 'image built';
    },
  };
  return {
    runtime,
    calls,
    hold() {
      gate = new Promise((resolve) => (release = resolve));
    },
    release() {
      gate = undefined;
      release?.();
    },
  };
}

const sync = (
  service: string,
  copy: string[],
  extra: Partial<Extract<WatchAction, { kind: 'sync' }>> = {},
): WatchAction => ({
  kind: 'sync',
  service,
  files: copy.map((p) => `/host${p}`),
  copy: copy.map((p) => ({ hostPath: `/nonexistent-host${p}`, containerPath: p })),
  remove: [],
  restart: false,
  exec: [],
  ...extra,
});

function executor(behaviour: { removal: 'refuse' | 'accept' | 'error'; rmExit: number }) {
  const fake = fakeRuntime(behaviour);
  const events: WatchEvent[] = [];
  const exec = new WatchExecutor({
    runtime: fake.runtime,
    report: (e) => events.push(e),
    clock: new FakeClock(),
    signal: new AbortController().signal,
  });
  return { ...fake, events, exec };
}

describe('WatchExecutor', () => {
  it('runs one action per service at a time and merges what arrives meanwhile', async () => {
    const { exec, calls, events, hold, release } = executor({ removal: 'refuse', rmExit: 0 });
    hold();
    exec.submit(sync('web', ['/a']));
    await new Promise((r) => setTimeout(r, 20));
    exec.submit(sync('web', ['/b']));
    exec.submit(sync('web', ['/c'], { restart: true }));
    exec.submit(sync('api', ['/x']));
    release();
    await exec.idle();
    expect(calls.filter((c) => c.startsWith('put web'))).toHaveLength(2);
    expect(calls.filter((c) => c.startsWith('restart'))).toEqual(['restart web']);
    const web = events.filter((e) => e.type === 'action' && e.service === 'web');
    expect(web.map((e) => e.type === 'action' && [e.action, e.files])).toEqual([
      ['sync', ['/host/a']],
      ['sync+restart', ['/host/b', '/host/c']],
    ]);
  });

  it('reports a failed rebuild with what it keeps, and goes on', async () => {
    const { exec, events } = executor({ removal: 'refuse', rmExit: 0 });
    exec.submit({ kind: 'rebuild', service: 'broken', files: ['/src/x'], source: 'rule' });
    await exec.idle();
    exec.submit(sync('broken', ['/y']));
    await exec.idle();
    expect(events).toMatchObject([
      {
        type: 'action',
        service: 'broken',
        action: 'rebuild',
        ok: false,
        detail: 'build of service "broken" failed at step 2/3\n  RUN false\n  exit code 1',
        kept: 'the old container keeps running',
      },
      { type: 'action', service: 'broken', action: 'sync', ok: true },
    ]);
  });

  it('removes paths with removal archives where the engine removes, checking the first', async () => {
    const { exec, calls } = executor({ removal: 'refuse', rmExit: 127 });
    exec.submit(sync('web', [], { remove: ['/app/a', '/app/b'] }));
    await exec.idle();
    expect(calls).toEqual(['remove-archive web-1 /app/a', 'remove-archive web-1 /app/b']);
  });

  it('uses one rm for many paths when the image has rm', async () => {
    const { exec, calls } = executor({ removal: 'refuse', rmExit: 0 });
    const remove = Array.from({ length: 20 }, (_, i) => `/app/f${i}`);
    exec.submit(sync('web', [], { remove }));
    await exec.idle();
    expect(calls).toEqual([`exec web-1 rm -rf -- ${remove.join(' ')}`]);
  });

  it('falls back to rm when the engine does not remove, and says once when nothing can', async () => {
    const { exec, calls, events } = executor({ removal: 'error', rmExit: 127 });
    exec.submit(sync('web', [], { remove: ['/app/a'] }));
    await exec.idle();
    exec.submit(sync('web', [], { remove: ['/app/b'] }));
    await exec.idle();
    expect(calls).toEqual(['remove-archive web-1 /app/a', 'exec web-1 rm -rf -- /app/a']);
    expect(events.filter((e) => e.type === 'warning')).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('deleted files stay in the containers of service "web"'),
      }),
    ]);
  });

  it('notices an engine that writes the removal entry as a file and removes it with rm', async () => {
    const { exec, calls } = executor({ removal: 'accept', rmExit: 0 });
    exec.submit(sync('web', [], { remove: ['/app/a'] }));
    await exec.idle();
    expect(calls).toEqual(['remove-archive web-1 /app/a', 'exec web-1 rm -rf -- /app/a']);
  });

  it('runs sync+exec commands in each container and forwards their output', async () => {
    const { exec, events } = executor({ removal: 'refuse', rmExit: 0 });
    exec.submit(sync('php', ['/app/a.php'], { exec: [{ command: ['php', '-l', '/app'] }] }));
    await exec.idle();
    expect(events).toMatchObject([
      { type: 'output', service: 'php', stream: 'stdout', line: 'checked' },
      { type: 'action', service: 'php', action: 'sync+exec', ok: true },
    ]);
  });
});
