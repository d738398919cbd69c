// Shell completion as a user meets it: an interactive bash and zsh in a real terminal (tmux), the
// script loaded with `source <(tscompose completion SHELL)`, and TAB pressed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bundleCli, type BundledCli } from '../support/cli-bundle.js';
import { requireTerminalTools, Terminal } from '../support/tmux.js';

let cli: BundledCli;
let project: string;
const terminals: Terminal[] = [];

beforeAll(async () => {
  requireTerminalTools();
  cli = await bundleCli();
  // the shells start in a project whose services completion must offer
  project = mkdtempSync(join(tmpdir(), 'tsc-completion-'));
  writeFileSync(
    join(project, 'compose.yaml'),
    'services:\n  webserver:\n    image: nginx\n  worker:\n    image: busybox\n  db:\n    image: mariadb\n',
  );
});

afterAll(async () => {
  await Promise.all(terminals.map((t) => t.close()));
  cli?.remove();
  if (project) rmSync(project, { recursive: true, force: true });
});

async function shell(command: string) {
  const terminal = new Terminal({
    columns: 120,
    rows: 20,
    env: { PATH: `${cli.bin}:${process.env.PATH ?? ''}`, TERM: 'xterm-256color', PS1: '$ ', PROMPT: '$ ' },
  });
  terminals.push(terminal);
  await terminal.start(`cd ${project} && ${command}`);
  return terminal;
}

describe.each([
  ['bash', 'exec bash --norc --noprofile -i', 'source <(tscompose completion bash)'],
  ['zsh', 'exec zsh -f -i', 'autoload -Uz compinit && compinit -u; source <(tscompose completion zsh)'],
])('%s completion', (_name, start, load) => {
  let terminal: Terminal;

  beforeAll(async () => {
    terminal = await shell(start);
    await terminal.waitFor(/^\$$/m);
    await terminal.type(`${load}; echo loaded`, 'Enter');
    await terminal.waitFor(/^loaded$/m);
  });

  // each test starts on an empty line of a clear screen, so that no earlier line can match; a
  // completion still running when the keys arrive can swallow them, so they are sent until it works
  beforeEach(async () => {
    for (let attempt = 1; ; attempt++) {
      await terminal.type('C-c', 'C-l');
      try {
        await terminal.waitFor(/^\$\n?$/, 2_000);
        return;
      } catch (error) {
        if (attempt === 5) throw error;
      }
    }
  });

  it('completes a command name', async () => {
    await terminal.type('tscompose vers', 'Tab');
    await terminal.waitFor(/\$ tscompose version$/m);
  });

  it('completes an option and the value it takes', async () => {
    await terminal.type('tscompose --progr', 'Tab');
    await terminal.waitFor(/\$ tscompose --progress$/m);
    await terminal.type('pl', 'Tab');
    await terminal.waitFor(/\$ tscompose --progress plain$/m);
  });

  it('completes the service names of the compose file', async () => {
    await terminal.type('tscompose up -d webs', 'Tab');
    await terminal.waitFor(/\$ tscompose up -d webserver$/m);
    await terminal.type('w', 'Tab');
    await terminal.waitFor(/\$ tscompose up -d webserver worker$/m);
  });

  it('lists the choices when there are several', async () => {
    await terminal.type('tscompose completion ', 'Tab', 'Tab');
    const screen = await terminal.waitFor(/bash\s+zsh/);
    expect(screen).toMatch(/\$ tscompose completion$/m);
  });
});
