import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { docker, projectNames } from '../support/docker.js';
import { projectDir, tscompose } from '../support/cli.js';

// A published port that is already taken: the error names the port, the service and the holder.

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });

const webOn = (port: number) =>
  projectDir({
    'compose.yaml': `
services:
  web:
    image: debian:bookworm
    init: true
    command: ["sleep", "infinity"]
    ports: ["127.0.0.1:${port}:80"]
`,
  });

describe('port conflicts', () => {
  const project = projectNames();

  it('names the port, the service and the host process that holds the port', async () => {
    const port = await freePort();
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      const name = project('porthost');
      const result = await tscompose(['-p', name, '--progress', 'plain', 'up', '-d'], { cwd: webOn(port) });
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(
          `^error: service web: cannot start container ${name}-web-1: port 127\\.0\\.0\\.1:${port} is already in use by process \\S+ \\(pid ${process.pid}\\)$`,
          'm',
        ),
      );
      expect(result.stderr).toMatch(
        /^hint: stop that process or publish another host port for web in the compose file$/m,
      );
    } finally {
      holder.close();
    }
  });

  it('names the container that holds the port', async () => {
    const port = await freePort();
    const other = project('portother');
    await docker(
      'run',
      '-d',
      '--init',
      '--name',
      `${other}-holder`,
      '--label',
      `com.docker.compose.project=${other}`,
      '-p',
      `127.0.0.1:${port}:80`,
      'debian:bookworm',
      'sleep',
      'infinity',
    );
    const name = project('portctr');
    const result = await tscompose(['-p', name, '--progress', 'plain', 'up', '-d'], { cwd: webOn(port) });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^error: service web: cannot start container ${name}-web-1: port 127\\.0\\.0\\.1:${port} is already in use by container ${other}-holder$`,
        'm',
      ),
    );
    expect(result.stderr).toContain(`hint: stop that container (docker stop ${other}-holder)`);
  });
});
