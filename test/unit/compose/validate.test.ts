import { describe, expect, it } from 'vitest';
import { PathIssue } from '../../../src/compose/issue.js';
import { projectSchema } from '../../../src/compose/schema.js';
import { suggestion, validateTree } from '../../../src/compose/validate.js';

function issue(tree: unknown): PathIssue {
  try {
    validateTree(tree, projectSchema);
  } catch (error) {
    if (error instanceof PathIssue) return error;
    throw error;
  }
  throw new Error('expected a PathIssue');
}

describe('validateTree', () => {
  it('suggests the key a misspelt one was meant to be', () => {
    const found = issue({ services: { web: { image: 'x', prots: [] } } });
    expect(found.code).toBe('compose.unknown-key');
    expect(found.path).toEqual(['services', 'web', 'prots']);
    expect(found.hint).toBe('did you mean "ports"?');
    expect(issue({ servics: {} }).hint).toBe('did you mean "services"?');
    expect(issue({ services: { a: { zzzzzz: 1 } } }).hint).toContain('x-');
  });

  it('says what a wrongly typed value should be', () => {
    expect(issue({ services: { a: { ports: '80:80' } } }).message).toBe(
      'services.a.ports must be a list, not "80:80"',
    );
    expect(issue({ services: { a: { user: 1000 } } }).message).toContain('must be a string');
    expect(issue({ services: { a: { stop_grace_period: 10 } } }).code).toBe('compose.invalid-type');
    expect(issue({ services: { a: { depends_on: { b: { condition: 'ready' } } } } }).code).toBe(
      'compose.invalid-value',
    );
  });

  it('casts numbers and booleans written as strings, as Compose does', () => {
    const warnings: string[] = [];
    const out = validateTree(
      { services: { a: { read_only: 'true', tty: 'yes', scale: '2', cpus: '0.5', privileged: 'False' } } },
      projectSchema,
      [],
      { warn: (m) => warnings.push(m) },
    );
    expect(out).toEqual({
      services: { a: { read_only: true, tty: true, scale: 2, cpus: '0.5', privileged: false } },
    });
    expect(warnings).toEqual(['services.a.tty: "yes" for a boolean is YAML 1.1; write true']);
    expect(issue({ services: { a: { tty: '1' } } }).message).toContain('true or false');
    expect(issue({ services: { a: { scale: '1.5' } } }).message).toContain('whole number');
  });

  it('keeps extensions and checks names', () => {
    expect(
      validateTree({ 'x-a': { anything: [1] }, services: { a: { 'x-b': 1 } } }, projectSchema),
    ).toBeTruthy();
    expect(issue({ services: { 'web app': {} } }).code).toBe('compose.invalid-name');
  });

  it('suggests only close words', () => {
    expect(suggestion('imgae', ['image', 'init'])).toBe('did you mean "image"?');
    expect(suggestion('volumez', ['volumes', 'volumes_from'])).toBe('did you mean "volumes"?');
    expect(suggestion('completely', ['image'])).toBeUndefined();
  });
});
