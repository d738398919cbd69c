// `tscompose watch` and `up --watch` through the built CLI: the lines a user reads, a sync, and
// Ctrl-C ending the watch cleanly (no error, exit 130 as Compose).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, removeProject, uniqueProject } from '../support/docker.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

const compose = `services:
  web:
    image: debian:bookworm
    init: true
    command: ["sh", "-c", "echo hello from web; exec sleep infinity"]
    develop:
      watch:
        - path: ./html
          action: sync
          target: /srv/html
`;

function run(args: string[], cwd: string) {
  const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, ms = 60_000) => {
    const deadline = Date.now() + ms;
    while (!pattern.test(stdout)) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`no ${pattern} in:\n${stdout}\n--- stderr:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return { child, exit, waitFor, out: () => stdout, err: () => stderr };
}

describe('the watch command', () => {
  const projects: string[] = [];
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    for (const p of projects) await removeProject(p);
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  async function stack() {
    const dir = await mkdtemp(join(tmpdir(), 'tsc-watch-cli-'));
    dirs.push(dir);
    await mkdir(join(dir, 'html'));
    await writeFile(join(dir, 'compose.yaml'), compose);
    await writeFile(join(dir, 'html/a.txt'), 'one\n');
    const project = uniqueProject('watchcli');
    projects.push(project);
    return { dir, project };
  }

  it('starts the stack, syncs a save with one line, and ends on Ctrl-C with 130', async () => {
    const { dir, project } = await stack();
    const watch = run(['-p', project, 'watch'], dir);
    children.push(watch.child);
    await watch.waitFor(/^Watching web \(/m);
    await writeFile(join(dir, 'html/a.txt'), 'two\n');
    await watch.waitFor(/^web sync html\/a\.txt \(\d+ ms, 1 copied\)$/m);
    expect(await docker('exec', `${project}-web-1`, 'cat', '/srv/html/a.txt')).toBe('two');
    watch.child.kill('SIGINT');
    expect(await watch.exit).toBe(130);
    expect(watch.err()).toContain('Watch stopped');
    expect(watch.err()).not.toMatch(/error/i);
    // the watch leaves the services running, as Compose's
    expect(await docker('inspect', '-f', '{{.State.Running}}', `${project}-web-1`)).toBe('true');
  });

  it('runs beside the logs with up --watch; Ctrl-C stops both', async () => {
    const { dir, project } = await stack();
    const up = run(['-p', project, 'up', '--watch'], dir);
    children.push(up.child);
    await up.waitFor(/hello from web/);
    await up.waitFor(/^Watching web \(/m);
    await writeFile(join(dir, 'html/b.txt'), 'bee\n');
    await up.waitFor(/^web sync html\/b\.txt /m);
    up.child.kill('SIGINT');
    expect(await up.exit).toBe(130);
    expect(await docker('inspect', '-f', '{{.State.Running}}', `${project}-web-1`)).toBe('false');
  });
});
