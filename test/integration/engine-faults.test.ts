import { execFile } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleCli } from '../support/cli-bundle.js';
import { projectNames, projectResources, runningContainers, uniqueProject } from '../support/docker.js';
import { waitFor } from '../support/steps.js';
import { projectDir, tscompose, type CliResult } from '../support/cli.js';
import { startEngineProxy, type EngineProxy } from '../support/engine-proxy.js';

// Engine faults without touching the shared dockerd: the CLI talks to the engine through a proxy
// that the test cuts (every connection dropped, the socket gone, as when dockerd stops) and restores.

/** A user-facing failure: a headline and a hint, no stack trace, not a crash. */
function expectCleanFailure(result: CliResult, headline: RegExp) {
  expect(result.code, result.stderr).toBe(1);
  expect(result.stderr).toMatch(headline);
  expect(result.stderr).not.toContain('internal error');
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

describe('engine faults', () => {
  const project = projectNames();
  let proxy: EngineProxy;
  beforeEach(async () => {
    proxy = await startEngineProxy();
  });
  afterEach(async () => {
    await proxy.close();
  });

  it('stops `up` with one clear line when the engine goes away, and the next `up` converges', async () => {
    const name = project('cutup');
    const cwd = projectDir({
      'compose.yaml': `
services:
  a:
    image: debian:bookworm
    init: true
    command: ["sleep", "infinity"]
  b:
    image: debian:bookworm
    init: true
    command: ["sleep", "infinity"]
    depends_on: [a]
`,
    });
    const env = { DOCKER_HOST: proxy.dockerHost };
    const cutting = proxy.cutAt(/^POST \S+\/containers\/[^/]+\/start/);
    const failed = await tscompose(['-p', name, '--progress', 'plain', 'up', '-d'], { cwd, env });
    await cutting;
    expectCleanFailure(
      failed,
      /^error: lost the connection to the Docker engine at unix:\/\/\S+ while trying to \w+ container/m,
    );
    expect(failed.stderr).toMatch(/^hint: the engine stopped or restarted/m);

    const again = await tscompose(['-p', name, '--progress', 'plain', 'up', '-d'], { cwd, env });
    expect(again.code, again.stderr).toBe(1);
    expect(again.stderr).toMatch(
      /^error: cannot connect to the Docker engine at \S+ \(ENOENT: no socket there\)$/m,
    );

    await proxy.restore();
    const converged = await tscompose(['-p', name, '--progress', 'plain', 'up', '-d'], { cwd, env });
    expect(converged.code, converged.stderr).toBe(0);
    expect(await runningContainers(name)).toEqual([`${name}-a-1 running`, `${name}-b-1 running`]);
    expect((await projectResources(name)).containers).toHaveLength(2);
  });

  it('keeps `logs -f` going: says the engine is gone, and resumes when it is back, nothing twice', async () => {
    const name = project('cutlogs');
    const cwd = projectDir({
      'compose.yaml': `
services:
  tick:
    image: debian:bookworm
    init: true
    command: ["sh", "-c", "i=0; while true; do i=$$((i+1)); echo tick $$i; sleep 0.1; done"]
`,
    });
    const up = await tscompose(['-p', name, 'up', '-d'], { cwd });
    expect(up.code, up.stderr).toBe(0);
    let out = '';
    let err = '';
    const stop = new AbortController();
    const following = tscompose(['-p', name, 'logs', '-f', '--no-log-prefix'], {
      cwd,
      env: { DOCKER_HOST: proxy.dockerHost },
      signal: stop.signal,
      onOutput: (stream, text) => (stream === 'stdout' ? (out += text) : (err += text)),
    });
    const ticks = () => [...out.matchAll(/^tick (\d+)$/gm)].map((m) => Number(m[1]));
    await waitFor('the first lines', () => ticks().length >= 3);
    await proxy.cut();
    await waitFor('the engine to be missed', () => err.includes('the engine is gone'));
    const lastBefore = Math.max(...ticks());
    await new Promise((r) => setTimeout(r, 1000));
    await proxy.restore();
    await waitFor('the engine to be back', () => err.includes('the engine is back'));
    // lines written while the engine was away come too, once
    await waitFor('lines after the outage', () => Math.max(...ticks()) > lastBefore + 15);
    stop.abort();
    const result = await following;
    expect(result.code).toBe(130);
    expect(err).toMatch(
      /^lost the connection to the Docker engine at unix:\S+ while trying to .*: the engine is gone; waiting for it to come back…$/m,
    );
    expect(err).not.toMatch(/^\s+at /m);
    const seen = ticks();
    expect(seen.length, 'no line twice').toBe(new Set(seen).size);
    const first = seen[0]!;
    expect(seen, 'no line lost').toEqual(seen.map((_, i) => first + i));
  });

  it('says in one line, with the fix, that no engine listens at DOCKER_HOST', async () => {
    const cwd = projectDir({ 'compose.yaml': 'services:\n  a:\n    image: debian:bookworm\n' });
    await proxy.cut();
    const result = await tscompose(['ps'], { cwd, env: { DOCKER_HOST: proxy.dockerHost } });
    expectCleanFailure(
      result,
      /^error: cannot connect to the Docker engine at unix:\/\/\S+ \(ENOENT: no socket there\)$/m,
    );
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^error: /),
      expect.stringMatching(/^hint: is dockerd running\? start it/),
    ]);
    // following logs waits for an engine that went away, not for one that was never there
    const logs = await tscompose(['logs', '-f'], { cwd, env: { DOCKER_HOST: proxy.dockerHost } });
    expectCleanFailure(
      logs,
      /^error: cannot connect to the Docker engine at unix:\/\/\S+ \(ENOENT: no socket there\)$/m,
    );
  });

  it('says permission denied, with the fix, when the socket refuses the user', async () => {
    // root passes any file permission, so the bundled CLI runs as nobody against a socket of mode 600
    const cli = await bundleCli();
    try {
      chmodSync(dirname(dirname(cli.main)), 0o755);
      chmodSync(dirname(proxy.socketPath), 0o711);
      chmodSync(proxy.socketPath, 0o600);
      const result = await new Promise<CliResult>((resolve) => {
        execFile(
          process.execPath,
          [cli.main, '-p', uniqueProject('eacces'), 'ps'],
          {
            uid: 65534,
            gid: 65534,
            cwd: '/',
            env: { PATH: process.env.PATH, DOCKER_HOST: proxy.dockerHost },
          },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
        );
      });
      expectCleanFailure(
        result,
        /^error: permission denied while connecting to the Docker engine at unix:\/\/\S+$/m,
      );
      expect(result.stderr).toMatch(/^hint: add your user to the docker group \(sudo usermod -aG docker/m);
      expect(proxy.requests, 'nothing reached the engine').toEqual([]);
    } finally {
      cli.remove();
    }
  });
});
