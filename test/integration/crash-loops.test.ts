import { afterAll, describe, expect, it } from 'vitest';
import { docker, removeProject, uniqueProject } from '../support/docker.js';
import { projectDir, tscompose } from '../support/cli.js';

// A container that keeps exiting under a restart policy: `up --wait` fails naming the service, the
// restart count and its last log lines; `ps` says the same below its table.

describe('crash loops', () => {
  const name = uniqueProject('crashloop');
  afterAll(async () => {
    await removeProject(name);
  });
  const cwd = projectDir({
    'compose.yaml': `
services:
  steady:
    image: debian:bookworm
    init: true
    restart: always
    command: ["sleep", "infinity"]
  crash:
    image: debian:bookworm
    restart: always
    command: ["sh", "-c", "echo starting; echo 'boom: /etc/app.conf is missing' >&2; exit 3"]
`,
  });

  it('up --wait fails naming the service, its restart count and last log lines', async () => {
    const started = Date.now();
    const result = await tscompose(['-p', name, '--progress', 'plain', 'up', '-d', '--wait'], { cwd });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^error: container ${name}-crash-1 \\(service crash\\) keeps restarting: restarted \\d+ times, last exit code 3$`,
        'm',
      ),
    );
    expect(result.stderr).toMatch(new RegExp(`^  last log lines of ${name}-crash-1:$`, 'm'));
    expect(result.stderr).toContain('boom: /etc/app.conf is missing');
    expect(result.stderr).not.toMatch(/steady-1 .*keeps restarting/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('ps reports the restart count and the last log lines', async () => {
    const deadline = Date.now() + 20_000;
    while (
      !/^true [3-9]|^true \d\d/.test(
        await docker('inspect', '-f', '{{.State.Restarting}} {{.RestartCount}}', `${name}-crash-1`),
      )
    ) {
      if (Date.now() > deadline) throw new Error('the container never went into its restart loop');
      await new Promise((r) => setTimeout(r, 100));
    }
    const result = await tscompose(['-p', name, 'ps'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^${name}-crash-1 .*(Restarting \\(3\\)|Up)`, 'm'));
    expect(result.stdout).toMatch(new RegExp(`^${name}-steady-1 .*Up`, 'm'));
    expect(result.stderr).toMatch(
      new RegExp(
        `^WARN container ${name}-crash-1 \\(service crash\\) keeps restarting: restarted \\d+ times, last exit code 3; its last log lines:$`,
        'm',
      ),
    );
    expect(result.stderr).toMatch(/^ {2}boom: \/etc\/app\.conf is missing$/m);
    expect(result.stderr).not.toContain('steady');
  });
});
