// Input built to exhaust the loader — a 10 MB file, 10,000 levels of nesting, YAML alias bombs — is
// refused by `tscompose config` within a second, with exit 15 and a message that names the file and
// the limit, and no stack trace.
import { beforeAll, describe, expect, it } from 'vitest';
import { projectDir, tscompose } from '../../support/cli.js';

const service = 'services:\n  web:\n    image: debian:bookworm\n';
const padding = '    # padding to make the file large, as a generated or mistaken file could be\n';

/** The classic "billion laughs": 9 levels of 9 aliases each, 9^9 copies once expanded. */
function billionLaughs(open: string, close: string): string {
  const items = (value: (j: number) => string) =>
    `${open}${Array.from({ length: 9 }, (_, j) => (open === '{' ? `k${j}: ` : '') + value(j)).join(', ')}${close}`;
  let text = `x-l0: &l0 ${items(() => '"lol"')}\n`;
  for (let i = 1; i < 9; i++) text += `x-l${i}: &l${i} ${items(() => `*l${i - 1}`)}\n`;
  return `${text}${service}    labels: {a: *l8}\n`;
}

const cases: { what: string; file: string; text: string; names: RegExp }[] = [
  {
    what: 'a 10 MB file',
    file: 'huge.yaml',
    text: service + padding.repeat(Math.ceil((10 * 1000 * 1000) / padding.length)),
    names: /huge\.yaml is too large for a compose file: 9\.\d MiB, the limit is 4 MiB/,
  },
  {
    what: '10,000 levels of [',
    file: 'deep.yaml',
    text: `services: ${'['.repeat(10_000)}\n`,
    names: /deep\.yaml: YAML is nested more than 128 levels deep \(the limit\)/,
  },
  {
    what: '10,000 levels of {',
    file: 'deep-map.yaml',
    text: `${service}    labels: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`,
    names: /deep-map\.yaml: YAML is nested more than 128 levels deep \(the limit\)/,
  },
  {
    what: '1,000 levels of block indentation',
    file: 'deep-block.yaml',
    text: Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + '\n',
    names: /deep-block\.yaml: YAML is nested more than 128 levels deep \(the limit\)/,
  },
  {
    what: 'a billion laughs of lists',
    file: 'bomb.yaml',
    text: billionLaughs('[', ']'),
    names: /bomb\.yaml: YAML aliases expand to more than 250000 values, the limit/,
  },
  {
    what: 'a billion laughs of maps',
    file: 'bomb-map.yaml',
    text: billionLaughs('{', '}'),
    names: /bomb-map\.yaml: YAML aliases expand to more than 250000 values, the limit/,
  },
];

describe('huge and deep YAML through tscompose config', () => {
  // the command's modules loaded once, so that the times below are the refusals' own
  beforeAll(async () => {
    expect((await tscompose(['config', '-q'], { cwd: projectDir({ 'compose.yaml': service }) })).code).toBe(
      0,
    );
  });

  it.each(cases.map((c) => [c.what, c] as const))('%s is refused quickly', async (_, c) => {
    const dir = projectDir({ [c.file]: c.text });
    const started = performance.now();
    const result = await tscompose(['-f', c.file, 'config'], { cwd: dir });
    const elapsed = performance.now() - started;
    expect(result.stderr).toMatch(c.names);
    expect(result.stderr).toMatch(/^hint: /m);
    expect(result.stderr).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(15);
    expect(elapsed).toBeLessThan(1000);
  });

  it('a 10 MB file on stdin is refused too', async () => {
    const dir = projectDir({});
    const started = performance.now();
    const result = await tscompose(['-f', '-', 'config'], {
      cwd: dir,
      stdin: service + padding.repeat(Math.ceil((10 * 1000 * 1000) / padding.length)),
    });
    expect(result.stderr).toMatch(/\(stdin\) is too large for a compose file: .*the limit is 4 MiB/);
    expect(result.code).toBe(15);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('a large but sane file still loads', async () => {
    // 1,000 services: far more than any real stack, well under the limits
    let text = 'services:\n';
    for (let i = 0; i < 1000; i++)
      text += `  s${i}:\n    image: debian:bookworm\n    environment: {N: "${i}"}\n`;
    const dir = projectDir({ 'compose.yaml': text });
    const result = await tscompose(['config', '--services'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').filter(Boolean)).toHaveLength(1000);
  });

  // long chains between services: walked without recursion, or refused at a limit
  const chain = (n: number, link: (i: number) => string) => {
    let text = 'services:\n';
    for (let i = 0; i < n; i++) text += `  s${i}:\n    image: debian:bookworm\n${link(i)}`;
    return text;
  };

  it('a depends_on chain through 10,000 services loads', async () => {
    const dir = projectDir({
      'compose.yaml': chain(10_000, (i) => (i < 9_999 ? `    depends_on: [s${i + 1}]\n` : '')),
    });
    const result = await tscompose(['config', '-q'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('a depends_on cycle through 10,000 services is named in one line', async () => {
    const dir = projectDir({
      'compose.yaml': chain(10_000, (i) => `    depends_on: [s${(i + 1) % 10_000}]\n`),
    });
    const result = await tscompose(['config', '-q'], { cwd: dir });
    expect(result.stderr).toMatch(
      /^error: dependency cycle detected: s0 -> s1 .* … \(9991 more\) -> .* -> s0\n/,
    );
    expect(result.stderr.split('\n')[0]!.length).toBeLessThan(200);
    expect(result.code).toBe(15);
  });

  it('an extends chain of 10,000 services is refused at the limit', async () => {
    let text = 'services:\n';
    for (let i = 0; i < 10_000; i++) text += `  s${i}:\n    extends: s${i + 1}\n`;
    text += '  s10000:\n    image: debian:bookworm\n';
    const dir = projectDir({ 'compose.yaml': text });
    const result = await tscompose(['config', '-q'], { cwd: dir });
    expect(result.stderr).toMatch(/"extends" goes more than 64 services deep \(the limit\)/);
    expect(result.stderr).toMatch(/at compose\.yaml:\d+:\d+ \(services\.s\d+\.extends\)/);
    expect(result.code).toBe(15);
  });
});
