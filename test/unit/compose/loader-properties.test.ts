// Property tests: whatever a compose file holds, the loader either returns a frozen project or
// rejects it with a TsComposeError that names the file (and, from the YAML on, a line).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadProject } from '../../../src/compose/load.js';
import { serviceSchema, type Schema } from '../../../src/compose/schema.js';
import { isTsComposeError } from '../../../src/core/errors.js';
import { memoryIO } from '../../support/memory-io.js';

const serviceKeys = Object.keys((serviceSchema as Extract<Schema, { kind: 'object' }>).props);

async function loadsOrRejectsWithPlace(text: string, env: Record<string, string> = {}): Promise<void> {
  const io = memoryIO({ '/p/compose.yaml': text, '/p/.env': 'TAG=1\nEMPTY=\n' }, { cwd: '/p', env });
  try {
    const { project } = await loadProject({}, io);
    expect(Object.isFrozen(project)).toBe(true);
    JSON.stringify(project);
  } catch (error) {
    if (!isTsComposeError(error)) throw error;
    expect(error.exitCode).toBe(15);
    expect(error.location?.file).toBeDefined();
    expect(error.message.length).toBeGreaterThan(0);
  }
}

const word = fc.constantFrom(
  'a',
  'web',
  'db',
  'x-ext',
  '80',
  'default',
  'data',
  '/data',
  'prots',
  'imag',
  'true',
);
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '${TAG}',
    '${MISSING:?boom}',
    '$${x}',
    '${',
    '8080:80',
    './src:/src:ro',
    '1g',
    '30s',
    'service:a',
    '$TAG-x',
    'CMD-SHELL',
  ),
);
const scalar = fc.oneof(
  text,
  fc.integer({ min: -5, max: 70000 }),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
);
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(word, tie('value'), { maxKeys: 4 }),
  ),
}));
const service = fc.dictionary(fc.oneof(fc.constantFrom(...serviceKeys), word), value, { maxKeys: 6 });
const composeDoc = fc.record(
  {
    name: fc.oneof(fc.constantFrom('demo', 'Bad Name', '${TAG}'), text),
    services: fc.dictionary(word, fc.oneof(service, value), { maxKeys: 3 }),
    networks: fc.dictionary(word, value, { maxKeys: 2 }),
    volumes: fc.dictionary(word, value, { maxKeys: 2 }),
    secrets: fc.dictionary(word, value, { maxKeys: 2 }),
    include: value,
    version: value,
  },
  { requiredKeys: ['services'] },
);

const sample = `name: sample
x-env: &env
  TZ: UTC
services:
  web:
    image: "nginx:\${TAG:-1}"
    ports: ["8080:80", {target: 443, published: 8443}]
    volumes: [./html:/usr/share/nginx/html:ro, data:/data]
    environment:
      <<: *env
      MODE: prod
    depends_on:
      db: {condition: service_healthy}
    healthcheck: {test: curl -f localhost, interval: 30s}
  db:
    image: mariadb
    command: --max-connections=10
    secrets: [pw]
volumes: {data: {}}
secrets: {pw: {file: ./pw.txt}}
`;
const mutation = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 3 }),
  insert: fc.array(
    fc.constantFrom(
      ':',
      '-',
      ' ',
      '\n',
      '[',
      ']',
      '{',
      '}',
      '$',
      '&',
      '*',
      '!',
      '"',
      "'",
      '#',
      '<<',
      'a',
      '0',
      '!reset ',
      '\t',
    ),
    {
      maxLength: 4,
    },
  ),
});

// generous timeouts: hundreds of loads, on a machine shared with other work
describe('loader properties', { timeout: 120_000 }, () => {
  it('random compose documents load or are rejected with a place', async () => {
    await fc.assert(
      fc.asyncProperty(composeDoc, async (doc) => loadsOrRejectsWithPlace(stringify(doc))),
      { numRuns: 1000 },
    );
  });

  it('mutated compose files load or are rejected with a place', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        let text = sample;
        for (const m of mutations) {
          const at = m.at % (text.length + 1);
          text = text.slice(0, at) + m.insert + text.slice(at + m.remove);
        }
        await loadsOrRejectsWithPlace(text);
      }),
      { numRuns: 1500 },
    );
  });

  it('arbitrary text loads or is rejected with a place', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), (t) => loadsOrRejectsWithPlace(t)),
      {
        numRuns: 1000,
      },
    );
  });
});
