import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { commands, type CommandSpec } from '../../src/cli/commands.js';
import { projectServices } from '../../src/cli/commands/complete.js';
import { completionScript } from '../../src/cli/completion-scripts.js';
import { complete, formatCandidates, type CompletionSource } from '../../src/cli/completion.js';
import type { CliContext, GlobalOptions } from '../../src/cli/context.js';
import { globalOptions } from '../../src/cli/program.js';

const load = () => Promise.reject(new Error('not loaded in completion tests'));
// commands as the lifecycle ones will declare them, to check service arguments
const lifecycle: CommandSpec[] = [
  {
    name: 'logs',
    summary: 'View output from containers',
    args: '[SERVICE...]',
    options: [
      { flags: '-f, --follow', description: 'follow' },
      { flags: '--tail <n>', description: 'lines' },
    ],
    load,
  },
  {
    name: 'exec',
    summary: 'Execute a command in a running container',
    args: 'SERVICE COMMAND [ARGS...]',
    load,
  },
];
// the real commands, with the fixtures above standing in for those of the same name
const own = commands.filter((c) => !lifecycle.some((l) => l.name === c.name));
const seen: GlobalOptions[] = [];
const source: CompletionSource = {
  commands: [...own, ...lifecycle],
  globalOptions,
  services: async (global) => {
    seen.push(global);
    return ['mariadb', 'nginx', 'wordpress'];
  },
};
const values = async (...words: string[]) => (await complete(words, source)).map((c) => c.value);

describe('completion', () => {
  it('offers the visible commands, with their summaries', async () => {
    expect(await values('')).toEqual([...own, ...lifecycle].filter((c) => !c.hidden).map((c) => c.name));
    expect(await values('co')).toEqual(['completion', 'config']);
    const [first] = await complete(['ver'], source);
    expect(first).toEqual({
      value: 'version',
      description: 'Show the tscompose version and the engine version',
    });
  });

  it('offers global options before the command and the command`s own after it', async () => {
    expect(await values('--pro')).toEqual([
      '--project-name',
      '--project-directory',
      '--profile',
      '--progress',
    ]);
    expect(await values('version', '--')).toEqual(['--format', '--short', '--help']);
    expect(await values('-p', 'demo', 'version', '--s')).toEqual(['--short']);
  });

  it('does not offer an option twice unless it repeats', async () => {
    expect(await values('version', '--short', '--s')).toEqual([]);
    expect(await values('-f', 'a.yml', '--fi')).toEqual(['--file']);
  });

  it('offers the choices of an option`s value, and nothing for a file (the shell completes it)', async () => {
    expect(await values('--progress', '')).toEqual(['auto', 'tty', 'plain', 'json', 'quiet']);
    expect(await values('--ansi', 'n')).toEqual(['never']);
    expect(await values('-f', '')).toEqual([]);
    expect(await values('version', '--format', '')).toEqual(['pretty', 'json']);
  });

  it('offers service names of the project the typed options select', async () => {
    seen.length = 0;
    expect(
      await values('-f', 'srcs/docker-compose.yml', '-p', 'inception', 'logs', '--tail', '5', ''),
    ).toEqual(['mariadb', 'nginx', 'wordpress']);
    expect(seen[0]).toEqual({ file: ['srcs/docker-compose.yml'], projectName: 'inception' });
    expect(await values('logs', 'nginx', '')).toEqual(['mariadb', 'wordpress']);
    expect(await values('logs', 'w')).toEqual(['wordpress']);
    expect(await values('exec', '')).toEqual(['mariadb', 'nginx', 'wordpress']);
    expect(await values('exec', 'nginx', '')).toEqual([]);
  });

  it('offers the shells for `completion`, once', async () => {
    expect(await values('completion', '')).toEqual(['bash', 'zsh']);
    expect(await values('completion', 'bash', '')).toEqual([]);
  });

  it('offers nothing after an unknown command and never shows hidden ones', async () => {
    expect(await values('frobnicate', '')).toEqual([]);
    expect(await values('__')).toEqual([]);
  });

  it('prints value<TAB>description lines, and scripts for bash and zsh', () => {
    expect(formatCandidates([{ value: 'up', description: 'Create and\nstart' }, { value: 'x' }])).toBe(
      'up\tCreate and start\nx\n',
    );
    expect(completionScript('bash')).toContain('complete -o default -F _tscompose tscompose');
    expect(completionScript('zsh')).toMatch(/^#compdef tscompose\n/);
  });
});

describe('service names for completion', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsc-complete-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ctx = (cwd: string): CliContext => ({
    argv: [],
    env: {},
    cwd,
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    signal: new AbortController().signal,
  });

  it('reads them from the compose file, profiled services included', async () => {
    writeFileSync(
      join(dir, 'compose.yaml'),
      'services:\n  web:\n    image: nginx\n  db:\n    image: mariadb\n  debug:\n    image: busybox\n    profiles: [debug]\n',
    );
    expect(await projectServices(ctx(dir), {})).toEqual(['db', 'debug', 'web']);
  });

  it('answers nothing when there is no compose file or it is broken', async () => {
    expect(await projectServices(ctx(tmpdir()), { file: [join(dir, 'missing.yaml')] })).toEqual([]);
    writeFileSync(join(dir, 'broken.yaml'), 'services: [\n');
    expect(await projectServices(ctx(dir), { file: ['broken.yaml'] })).toEqual([]);
  });
});
