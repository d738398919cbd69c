// The live display in a real terminal: tmux runs a recorded Inception `up` through the TTY sink and
// we read the screen it leaves.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, recording } from '../support/progress.js';
import { requireTerminalTools, Terminal } from '../support/tmux.js';

let dir: string;
let replay: string;
const terminals: Terminal[] = [];
const spinner = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

beforeAll(async () => {
  requireTerminalTools();
  dir = mkdtempSync(join(tmpdir(), 'tsc-tty-'));
  replay = join(dir, 'replay.mjs');
  await build({
    entryPoints: [new URL('../support/replay-progress.ts', import.meta.url).pathname],
    outfile: replay,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'warning',
  });
});

afterAll(async () => {
  await Promise.all(terminals.map((t) => t.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function replayIn(columns: number, rows: number, speed: number, name = 'inception-up') {
  const terminal = new Terminal({ columns, rows, env: { TERM: 'xterm-256color' } });
  terminals.push(terminal);
  await terminal.start(`node ${replay} ${fixturePath(`${name}.json`)} tty ${speed}`);
  expect(await terminal.waitForExit(30_000)).toBe(0);
  return terminal;
}

describe('the live progress display', () => {
  it('leaves every resource with its state and duration, and no spinner', async () => {
    const terminal = await replayIn(100, 30, 4);
    const screen = await terminal.capture();
    await expect(screen).toMatchFileSnapshot('../fixtures/progress/inception-up.tty-100x30.txt');
    expect(screen).not.toMatch(spinner);
  });

  it('draws in place when the list is taller than the terminal, then prints it whole', async () => {
    const terminal = await replayIn(80, 8, 4);
    const all = await terminal.capture({ history: true });
    expect(all).not.toMatch(spinner);
    // each resource ends up on exactly one line, in its final state
    const ids = new Set(
      recording('inception-up').flatMap(({ event }) => (event.type === 'resource' ? [event.id] : [])),
    );
    for (const id of ids) {
      const lines = all.split('\n').filter((l) => l.includes(` ${id} `));
      expect(lines, id).toHaveLength(1);
      expect(lines[0]).toMatch(/^ ✔ .*\d+\.\ds$/);
    }
    expect(all).toContain('✔ 3 built, 3 created, 3 started; 2 healthy, 1 running in 9.3s');
  });

  it('marks failures, warnings and steps cut short, and ends on a failed summary', async () => {
    const terminal = await replayIn(90, 20, 2, 'up-failure');
    const screen = await terminal.capture();
    await expect(screen).toMatchFileSnapshot('../fixtures/progress/up-failure.tty-90x20.txt');
    expect(screen).not.toMatch(spinner);
  });
});
