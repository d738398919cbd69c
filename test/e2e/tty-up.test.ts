// A real `tscompose up` on a real stack, in a real terminal (tmux): the live display must leave a
// final screen with every resource in its end state and duration, and no spinner anywhere; the same
// run in plain and JSON modes must say the same things as lines.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, type BundledCli } from '../support/cli-bundle.js';
import { docker, removeProject, uniqueProject } from '../support/docker.js';
import { requireTerminalTools, Terminal } from '../support/tmux.js';

const compose = `services:
  db:
    image: debian:bookworm
    init: true
    command: sh -c 'sleep 1; touch /tmp/ready; exec sleep infinity'
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 1s
    volumes: [data:/data]
  web:
    build: ./web
    init: true
    command: sleep infinity
    depends_on:
      db: { condition: service_healthy }
volumes:
  data:
`;

const spinner = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
let cli: BundledCli;
let dir: string;
const projects: string[] = [];
const terminals: Terminal[] = [];

beforeAll(async () => {
  requireTerminalTools();
  cli = await bundleCli();
  dir = mkdtempSync(join(tmpdir(), 'tsc-tty-up-'));
  writeFileSync(join(dir, 'compose.yaml'), compose);
  mkdirSync(join(dir, 'web'));
  writeFileSync(
    join(dir, 'web', 'Dockerfile'),
    'FROM debian:bookworm\nRUN for i in 1 2 3; do echo "step $i"; sleep 1; done\n',
  );
});

afterAll(async () => {
  await Promise.all(terminals.map((t) => t.close()));
  await Promise.all(projects.map(removeProject));
  // the images `up` built for the web service
  for (const project of projects) await docker('rmi', '-f', `${project}-web`).catch(() => undefined);
  cli?.remove();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function upIn(terminal: Terminal, project: string, progress: string, whileRunning?: RegExp) {
  await terminal.start(`cd ${dir} && tscompose -p ${project} --progress ${progress} up -d --wait`);
  if (whileRunning) await terminal.waitFor(whileRunning, 60_000);
  expect(await terminal.waitForExit(120_000)).toBe(0);
  return terminal.capture({ history: true });
}

function newTerminal() {
  const terminal = new Terminal({
    columns: 100,
    rows: 30,
    env: { PATH: `${cli.bin}:${process.env.PATH ?? ''}`, TERM: 'xterm-256color' },
  });
  terminals.push(terminal);
  return terminal;
}

describe('tscompose up in a terminal', () => {
  it('leaves every resource listed once with its state and duration, and no spinner', async () => {
    const project = uniqueProject('tty-up');
    projects.push(project);
    // while the image builds, its last output lines show under its line
    const building = new RegExp(`Image ${project}-web +Building.*\\n {6}\\S`);
    const screen = await upIn(newTerminal(), project, 'auto', building);
    expect(screen).not.toMatch(spinner);
    expect(screen).toMatch(/^\[\+\] Running 5\/5$/m);
    const expected: [string, RegExp][] = [
      [`Image ${project}-web`, /Built/],
      [`Network ${project}_default`, /Created/],
      [`Volume ${project}_data`, /Created/],
      [`Container ${project}-db-1`, /Healthy/],
      [`Container ${project}-web-1`, /Started|Running|Healthy/],
    ];
    for (const [label, state] of expected) {
      const lines = screen.split('\n').filter((l) => l.includes(`${label} `));
      expect(lines, label).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^ ✔ ${label} +${state.source}.* \\d+\\.\\ds$`));
    }
    expect(screen).toMatch(/^✔ .+ in \d+\.\ds$/m);
    // the build's output was shown under its line while it ran, and folded away once built
    expect(screen).not.toContain('Step 2/');
  });

  it('prints the same run as plain lines when asked, one per step', async () => {
    const project = uniqueProject('plain-up');
    projects.push(project);
    const screen = await upIn(newTerminal(), project, 'plain');
    expect(screen).not.toMatch(spinner);
    expect(screen).not.toContain('\u001b');
    expect(screen).toContain(` Network ${project}_default  Creating`);
    expect(screen).toMatch(new RegExp(` Network ${project}_default  Created  \\d+\\.\\ds`));
    expect(screen).toMatch(new RegExp(` Container ${project}-db-1  Healthy  \\d+\\.\\ds`));
    expect(screen).toMatch(/ \| Step 2\/\d+ : RUN for i in 1 2 3/);
  });
});
