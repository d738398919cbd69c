// Fuzz of the loader's other inputs: interpolation strings anywhere in a compose file, `.env`,
// `--env-file` and `env_file:` files, `include:` and `extends:` between files, several `-f` files.
// Whatever they hold, loadProject returns a frozen project or throws a TsComposeError (exit 15) that
// names the file it is about: never a TypeError, a RangeError or a stack overflow.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadProject, type LoadOptions } from '../../../src/compose/load.js';
import { isTsComposeError } from '../../../src/core/errors.js';
import { memoryIO } from '../../support/memory-io.js';

const files = ['/p/compose.yaml', '/p/other.yaml', '/p/.env', '/p/a.env', '/p/sub/inc.yaml', '/p/sub/.env'];

async function loadsOrRejectsWithPlace(
  texts: Record<string, string>,
  options: LoadOptions = {},
  env: Record<string, string> = {},
): Promise<void> {
  const io = memoryIO(texts, { cwd: '/p', env });
  try {
    const { project } = await loadProject(options, io);
    expect(Object.isFrozen(project)).toBe(true);
    JSON.stringify(project);
  } catch (error) {
    if (!isTsComposeError(error)) throw error;
    expect(error.exitCode).toBe(15);
    expect(error.message.length).toBeGreaterThan(0);
    // a place: the file the problem is in (or, for a project name from COMPOSE_PROJECT_NAME, the fix)
    if (error.code === 'compose.invalid-project-name' && /COMPOSE_PROJECT_NAME/.test(error.message))
      expect(error.hint).toBeDefined();
    else expect(error.location?.file).toBeDefined();
  }
}

/** Strings made of the pieces that interpolation and dotenv parsers branch on. */
const piece = fc.constantFrom(
  '$',
  '$$',
  '{',
  '}',
  '${',
  '${A}',
  '${A:-',
  '${A-',
  '${A:?',
  '${A?',
  '${A:+',
  '${A+',
  '${MISSING:?need it}',
  '${MISSING?}',
  '${EMPTY:-d}',
  '${EMPTY:+x}',
  ':',
  '-',
  '?',
  '+',
  'A',
  'EMPTY',
  'TAG',
  '$A',
  '$1',
  '\\',
  '"',
  "'",
  '`',
  '#',
  ' ',
  '\t',
  '\n',
  '=',
  'export ',
  '\\n',
  '\\$',
  '\\0101',
  '\u00e9',
  '\u{1f600}',
  '\0',
  '\r',
);
const tokens = (max: number) => fc.array(piece, { maxLength: max }).map((p) => p.join(''));
const interpolation = fc.oneof(tokens(12), fc.string({ maxLength: 12, unit: 'binary' }));

const envLine = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('', 'export ', ' '),
      fc.constantFrom(
        'A',
        'B',
        'EMPTY',
        'TAG',
        'COMPOSE_PROJECT_NAME',
        'COMPOSE_FILE',
        'COMPOSE_PROFILES',
        '1X',
        '',
      ),
      fc.constantFrom('=', ': ', ' = ', '', '=='),
      fc.oneof(
        tokens(8),
        tokens(6).map((t) => `"${t}"`),
        tokens(6).map((t) => `'${t}'`),
        tokens(6).map((t) => `"${t}`),
      ),
    )
    .map((parts) => parts.join('')),
  tokens(10),
  fc.constantFrom('# comment', '', 'COMPOSE_PROJECT_NAME=Bad Name', 'COMPOSE_PROFILES=*'),
);
const envFile = fc.array(envLine, { maxLength: 6 }).map((lines) => lines.join('\n'));

const serviceWith = (s: fc.Arbitrary<string>) =>
  fc.record(
    {
      image: s,
      environment: fc.oneof(
        fc.dictionary(fc.constantFrom('A', 'B', 'X'), fc.oneof(s, fc.constant(null))),
        fc.array(s, { maxLength: 3 }),
      ),
      env_file: fc.oneof(
        fc.constantFrom('a.env', './sub/.env', 'missing.env'),
        fc.array(
          fc.oneof(
            fc.constantFrom('a.env', '.env', 'nope.env'),
            fc.record({ path: fc.oneof(fc.constantFrom('a.env', 'nope.env'), s), required: fc.boolean() }),
          ),
          { maxLength: 2 },
        ),
      ),
      command: fc.oneof(s, fc.array(s, { maxLength: 2 })),
      ports: fc.array(s, { maxLength: 2 }),
      volumes: fc.array(s, { maxLength: 2 }),
      labels: fc.dictionary(fc.constantFrom('a', 'b'), s),
      secrets: fc.array(fc.oneof(fc.constantFrom('pw', 'env_pw', 'none'), s), { maxLength: 2 }),
      extends: fc.oneof(
        fc.constantFrom('web', 'db', 'nope'),
        fc.record({
          service: fc.constantFrom('web', 'base', 'nope'),
          file: fc.constantFrom('other.yaml', 'sub/inc.yaml', 'gone.yaml'),
        }),
      ),
      profiles: fc.array(fc.constantFrom('a', 'dev', '${A}'), { maxLength: 2 }),
      depends_on: fc.array(fc.constantFrom('web', 'db', 'nope'), { maxLength: 2 }),
      healthcheck: fc.record({ test: s, interval: s }, { requiredKeys: [] }),
      mem_limit: s,
      cpus: s,
      user: s,
    },
    { requiredKeys: [] },
  );

const composeFile = fc.record(
  {
    name: fc.oneof(fc.constantFrom('demo', '${COMPOSE_PROJECT_NAME}', '${A:-x}'), interpolation),
    services: fc.dictionary(fc.constantFrom('web', 'db', 'base'), serviceWith(interpolation), { maxKeys: 3 }),
    secrets: fc.dictionary(
      fc.constantFrom('pw', 'env_pw'),
      fc.record(
        { file: interpolation, environment: fc.constantFrom('A', 'SECRET', 'B') },
        { requiredKeys: [] },
      ),
      { maxKeys: 2 },
    ),
    volumes: fc.dictionary(fc.constantFrom('data'), fc.record({ name: interpolation }, { requiredKeys: [] })),
    include: fc.array(
      fc.oneof(
        fc.constantFrom('sub/inc.yaml', 'other.yaml', 'compose.yaml', 'nope.yaml'),
        fc.record(
          {
            path: fc.constantFrom('sub/inc.yaml', 'other.yaml'),
            env_file: fc.constantFrom('a.env', 'x.env'),
          },
          { requiredKeys: ['path'] },
        ),
      ),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: [] },
);

const project = fc.record({
  compose: composeFile,
  other: composeFile,
  inc: composeFile,
  dotenv: envFile,
  aEnv: envFile,
  subEnv: envFile,
  files: fc.subarray(['compose.yaml', 'other.yaml', 'sub/inc.yaml', '-']),
  envFiles: fc.subarray(['a.env', '.env', 'nope.env']),
  interpolate: fc.boolean(),
  normalize: fc.boolean(),
});

/** YAML text from the pieces its grammar branches on: flow and block collections, anchors, tags. */
const yamlPiece = fc.constantFrom(
  'services:',
  '\n  web:',
  '\n    image: x',
  '\n',
  '  ',
  '- ',
  ': ',
  '[',
  ']',
  '{',
  '}',
  ', ',
  '&a ',
  '*a',
  '<<: ',
  '!reset ',
  '!override ',
  '!!str ',
  '!!binary ',
  '? ',
  '|',
  '>-',
  '"',
  "'",
  '---\n',
  '...\n',
  '%YAML 1.2\n',
  '#',
  'x',
  '0o17',
  '.inf',
  '~',
  '\t',
  '${A}',
);
const yamlText = fc.array(yamlPiece, { maxLength: 30 }).map((p) => p.join(''));

describe('loader fuzz', { timeout: 120_000 }, () => {
  it('YAML made of grammar pieces loads or is rejected with a place', async () => {
    await fc.assert(
      fc.asyncProperty(yamlText, (text) => loadsOrRejectsWithPlace({ '/p/compose.yaml': text })),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['a default', (n: number) => `\${UNSET:-${'${UNSET:-'.repeat(n)}x${'}'.repeat(n)}}`],
    ['an alternate', (n: number) => `\${SET+${'${SET+'.repeat(n)}x${'}'.repeat(n)}}`],
    ['an error message', (n: number) => `\${MISSING?${'${MISSING:-'.repeat(n)}x${'}'.repeat(n)}}`],
  ])('templates nested 20,000 deep in %s are refused, not a stack overflow', async (_, nested) => {
    const template = nested(20_000);
    const env = { SET: '1' };
    const compose = memoryIO(
      { '/p/compose.yaml': `services: {web: {image: '${template}'}}\n` },
      { cwd: '/p', env },
    );
    await expect(loadProject({}, compose)).rejects.toMatchObject({
      message: expect.stringMatching(
        /^interpolation nested more than 32 levels deep \(the limit\) in ".{80}…"/,
      ),
      location: { file: 'compose.yaml', line: 1 },
    });
    const dotenv = memoryIO(
      { '/p/compose.yaml': 'services: {web: {image: x}}\n', '/p/.env': `A=${template}\n` },
      { cwd: '/p', env },
    );
    await expect(loadProject({}, dotenv)).rejects.toMatchObject({
      message: 'interpolation nested more than 32 levels deep (the limit) in the value of A',
      location: { file: '.env', line: 1 },
    });
    // without interpolation, the variables are still listed, as deep as they are read
    const plain = await loadProject({ interpolate: false }, compose);
    expect(plain.variables.length).toBeGreaterThan(0);
  });

  it('a missing env file of an include is reported with its name', async () => {
    const io = memoryIO(
      {
        '/p/compose.yaml': 'include: [{path: sub/inc.yaml, env_file: x.env}]\n',
        '/p/sub/inc.yaml': 'services: {a: {image: x}}\n',
      },
      { cwd: '/p' },
    );
    await expect(loadProject({}, io)).rejects.toMatchObject({
      code: 'compose.env-file-not-found',
      message: 'env file x.env not found',
      location: { file: 'x.env' },
    });
  });

  it('interpolation strings anywhere load or are rejected with a place', async () => {
    await fc.assert(
      fc.asyncProperty(serviceWith(interpolation), interpolation, async (service, name) => {
        const text = stringify({ name, services: { web: service } });
        await loadsOrRejectsWithPlace(
          { '/p/compose.yaml': text, '/p/a.env': 'A=1' },
          {},
          { A: 'a', EMPTY: '' },
        );
      }),
      { numRuns: 2500 },
    );
  });

  it('.env files load or are rejected with a place', async () => {
    await fc.assert(
      fc.asyncProperty(envFile, envFile, async (dotenv, aEnv) => {
        await loadsOrRejectsWithPlace({
          '/p/compose.yaml': 'services:\n  web:\n    image: "x:${TAG:-1}"\n    env_file: [a.env]\n',
          '/p/.env': dotenv,
          '/p/a.env': aEnv,
        });
      }),
      { numRuns: 2500 },
    );
  });

  it('projects of several files, includes, extends and env files load or are rejected with a place', async () => {
    await fc.assert(
      fc.asyncProperty(project, async (p) => {
        const texts: Record<string, string> = {
          [files[0]!]: stringify(p.compose),
          [files[1]!]: stringify(p.other),
          [files[2]!]: p.dotenv,
          [files[3]!]: p.aEnv,
          [files[4]!]: stringify(p.inc),
          [files[5]!]: p.subEnv,
        };
        await loadsOrRejectsWithPlace(
          texts,
          { files: p.files, envFiles: p.envFiles, interpolate: p.interpolate, normalize: p.normalize },
          { SECRET: 's3cr3t' },
        );
      }),
      { numRuns: 2500 },
    );
  });
});
