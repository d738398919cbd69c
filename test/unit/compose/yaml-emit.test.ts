import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emitYaml } from '../../../src/compose/yaml-emit.js';

describe('emitYaml', { timeout: 60_000 }, () => {
  it('lays out maps and lists as Compose does', () => {
    expect(
      emitYaml({
        name: 'demo',
        services: {
          web: {
            command: ['a', 'b'],
            ports: [{ target: 80, published: '8080' }],
            empty: {},
            none: [],
            n: null,
          },
        },
      }),
    ).toBe(
      [
        'name: demo',
        'services:',
        '  web:',
        '    command:',
        '      - a',
        '      - b',
        '    ports:',
        '      - target: 80',
        '        published: "8080"',
        '    empty: {}',
        '    none: []',
        '    "n": null',
        '',
      ].join('\n'),
    );
  });

  it('quotes what a reader would take for something else', () => {
    expect(
      emitYaml({
        y: 'yes',
        on: 'true',
        n: '1e3',
        t: '2001-12-14',
        c: 'a: b',
        h: '#x',
        d: '-',
        e: '',
        s: ' x',
      }),
    ).toBe(
      '"y": "yes"\n"on": "true"\n"n": "1e3"\nt: "2001-12-14"\nc: "a: b"\nh: "#x"\nd: "-"\ne: ""\ns: " x"\n',
    );
    expect(emitYaml({ p: '8080:80', a: '-c', u: 'http://x/#y', v: '$$HOME' })).toBe(
      'p: 8080:80\na: -c\nu: http://x/#y\nv: $$HOME\n',
    );
  });

  it('writes multi-line strings as literal blocks', () => {
    expect(emitYaml({ f: 'FROM x\nRUN y\n', g: 'a\nb' })).toBe('f: |\n  FROM x\n  RUN y\ng: |-\n  a\n  b\n');
  });

  it('round-trips any plain data through a YAML reader', () => {
    const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small' },
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.integer(),
          fc.boolean(),
          fc.constant(null),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
        ),
        fc.array(tie('tree'), { maxLength: 4 }),
        fc.dictionary(fc.string({ minLength: 1 }), tie('tree'), { maxKeys: 4 }),
      ),
    }));
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), tree), (value) => {
        expect(parse(emitYaml(value), { uniqueKeys: false })).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 150 },
    );
  });
});
