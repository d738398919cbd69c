import { describe, expect, it } from 'vitest';
import { parseYaml, Tagged } from '../../../src/compose/parse-yaml.js';
import { isTsComposeError, type TsComposeError } from '../../../src/core/errors.js';

function rejection(fn: () => unknown): TsComposeError {
  try {
    fn();
  } catch (error) {
    if (isTsComposeError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('parseYaml', () => {
  it('reads plain data with go-yaml’s octal and string keys', () => {
    const { documents } = parseYaml('mode: 0755\nquoted: "0755"\n80: http\ntrue: yes\n', 'c.yaml');
    expect(documents).toEqual([{ mode: 493, quoted: '0755', '80': 'http', true: 'yes' }]);
  });

  it('applies merge keys: written keys win, then earlier sources', () => {
    const text = 'a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  x: 0\n';
    expect(parseYaml(text, 'c.yaml').documents[0]).toMatchObject({ c: { x: 0, y: 1, z: 2 } });
  });

  it('expands aliases into separate objects', () => {
    const [doc] = parseYaml('a: &a {k: [1]}\nb: *a\n', 'c.yaml').documents as [{ a: object; b: object }];
    expect(doc.b).toEqual(doc.a);
    expect(doc.b).not.toBe(doc.a);
  });

  it('marks !reset and !override values', () => {
    const [doc] = parseYaml('a: !reset []\nb: !override {k: 1}\n', 'c.yaml').documents as [
      Record<string, unknown>,
    ];
    expect(doc.a).toEqual(new Tagged('reset', []));
    expect(doc.b).toEqual(new Tagged('override', { k: 1 }));
  });

  it('keeps each document of a stream', () => {
    expect(parseYaml('a: 1\n---\nb: 2\n', 'c.yaml').documents).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('locates values and keys by path, or the nearest ancestor', () => {
    const parsed = parseYaml('services:\n  web:\n    image: nginx\n    ports:\n      - "80:80"\n', 'c.yaml');
    expect(parsed.locate(['services', 'web', 'ports', 0])).toMatchObject({ line: 5, column: 9, matched: 4 });
    expect(parsed.locate(['services', 'web', 'image'], true)).toMatchObject({ line: 3, column: 5 });
    expect(parsed.locate(['services', 'web', 'nope', 'deeper'])).toMatchObject({ line: 3, matched: 2 });
  });

  it('refuses a duplicate key with both places', () => {
    const error = rejection(() => parseYaml('a: 1\nb: 2\na: 3\n', 'c.yaml'));
    expect(error.code).toBe('compose.duplicate-key');
    expect(error.message).toContain('first defined on line 1');
    expect(error.location).toMatchObject({ file: 'c.yaml', line: 3, column: 1 });
    expect(error.exitCode).toBe(15);
  });

  it('reports syntax errors with a position', () => {
    const error = rejection(() =>
      parseYaml('services:\n  web:\n    image: nginx\n   ports: [80\n', 'c.yaml'),
    );
    expect(error.code).toBe('compose.yaml-syntax');
    expect(error.location?.line).toBeGreaterThan(0);
  });

  it('refuses an alias bomb before expanding it', () => {
    let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 9; i++)
      text += `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    const started = performance.now();
    const error = rejection(() => parseYaml(text, 'c.yaml'));
    expect(error.code).toBe('compose.too-large');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuses absurd nesting, flow or block', () => {
    expect(rejection(() => parseYaml(`a: ${'['.repeat(5000)}${']'.repeat(5000)}`, 'c.yaml')).code).toBe(
      'compose.too-deep',
    );
    let block = 'a:\n';
    for (let i = 1; i < 200; i++) block += `${'  '.repeat(i)}k:\n`;
    expect(rejection(() => parseYaml(block, 'c.yaml')).code).toBe('compose.too-deep');
  });

  it('refuses input over the size limit', () => {
    const error = rejection(() => parseYaml('a: 1\n', 'c.yaml', { maxBytes: 3, maxDepth: 10, maxNodes: 10 }));
    expect(error.code).toBe('compose.too-large');
  });

  it('never lets a key reach an object prototype', () => {
    const [doc] = parseYaml('__proto__: {polluted: true}\n', 'c.yaml').documents as [Record<string, unknown>];
    expect(Object.keys(doc)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
