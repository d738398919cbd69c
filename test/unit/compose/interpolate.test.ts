import { describe, expect, it } from 'vitest';
import {
  extractVariables,
  interpolateTree,
  InterpolationError,
  substitute,
  TemplateError,
} from '../../../src/compose/interpolate.js';

const env: Record<string, string> = { SET: 'value', EMPTY: '' };
const lookup = (k: string) => env[k];
const sub = (t: string) => substitute(t, lookup);

describe('substitute', () => {
  it.each([
    ['$SET', 'value'],
    ['${SET}', 'value'],
    ['pre${SET}post', 'prevaluepost'],
    ['$SET-suffix', 'value-suffix'],
    ['${UNSET:-d}', 'd'],
    ['${EMPTY:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${UNSET-d}', 'd'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['${UNSET:-${ALSO:-${SET}}}', 'value'],
    ['${UNSET:-a:b}', 'a:b'],
    ['$$SET and $${SET}', '$SET and ${SET}'],
    ['cost: $ 5, $1', 'cost: $ 5, $1'],
    ['$', '$'],
    ['${SET:?never}', 'value'],
  ])('%s → %s', (template, expected) => {
    expect(sub(template)).toBe(expected);
  });

  it('reports unset variables without a default', () => {
    const unset: string[] = [];
    expect(substitute('$A ${B} ${C:-c}', lookup, { onUnset: (n) => unset.push(n) })).toBe('  c');
    expect(unset).toEqual(['A', 'B']);
  });

  it('fails on a missing required variable with its message', () => {
    expect(() => sub('${UNSET:?set it please}')).toThrow(
      'required variable UNSET is missing a value: set it please',
    );
    expect(() => sub('${EMPTY:?}')).toThrow(TemplateError);
    expect(sub('${EMPTY?x}')).toBe('');
  });

  it.each(['${SET', '${1X}', '${SET:x}', '${}'])('refuses the malformed template %s', (template) => {
    expect(() => sub(template)).toThrow(/invalid interpolation format/);
  });
});

describe('interpolateTree', () => {
  it('substitutes values, never keys, and names the path of a failure', () => {
    const tree = { services: { a: { image: '${SET}', labels: { '${SET}': '$SET' }, n: 1 } } };
    expect(interpolateTree(tree, lookup, new Set())).toEqual({
      services: { a: { image: 'value', labels: { '${SET}': 'value' }, n: 1 } },
    });
    try {
      interpolateTree({ services: { a: { ports: ['${X:?}'] } } }, lookup, new Set());
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InterpolationError);
      expect((error as InterpolationError).path).toEqual(['services', 'a', 'ports', 0]);
    }
  });
});

describe('extractVariables', () => {
  it('lists variables with their defaults, alternates and requirement', () => {
    const vars = extractVariables({ a: '${A:-1} $B ${C:?e} ${D:+x} $$E ${F:-${G}}' });
    expect([...vars.values()]).toEqual([
      { name: 'A', required: false, defaultValue: '1' },
      { name: 'B', required: false },
      { name: 'C', required: true },
      { name: 'D', required: false, alternateValue: 'x' },
      { name: 'F', required: false, defaultValue: '${G}' },
      { name: 'G', required: false },
    ]);
  });
});
