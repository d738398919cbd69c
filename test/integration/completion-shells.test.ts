// Shell completion as a user meets it: an interactive bash and zsh in a real terminal (tmux), the
// script loaded with `source <(tscompose completion SHELL)`, and TAB pressed.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bundleCli, type BundledCli } from '../support/cli-bundle.js';
import { requireTerminalTools, Terminal } from '../support/tmux.js';

let cli: BundledCli;
const terminals: Terminal[] = [];

beforeAll(async () => {
  requireTerminalTools();
  cli = await bundleCli();
});

afterAll(async () => {
  await Promise.all(terminals.map((t) => t.close()));
  cli?.remove();
});

async function shell(command: string) {
  const terminal = new Terminal({
    columns: 120,
    rows: 20,
    env: { PATH: `${cli.bin}:${process.env.PATH ?? ''}`, TERM: 'xterm-256color', PS1: '$ ', PROMPT: '$ ' },
  });
  terminals.push(terminal);
  await terminal.start(command);
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

  // each test starts on an empty line of a clear screen, so that no earlier line can match
  beforeEach(async () => {
    await terminal.type('C-c', 'C-l');
    await terminal.waitFor(/^\$\n?$/);
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

  it('lists the choices when there are several', async () => {
    await terminal.type('tscompose completion ', 'Tab', 'Tab');
    const screen = await terminal.waitFor(/bash\s+zsh/);
    expect(screen).toMatch(/\$ tscompose completion$/m);
  });
});
