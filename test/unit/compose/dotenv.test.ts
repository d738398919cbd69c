import { describe, expect, it } from 'vitest';
import { DotenvError, parseDotenv } from '../../../src/compose/dotenv.js';

const parse = (text: string, env: Record<string, string> = {}) =>
  Object.fromEntries(parseDotenv(text, (k) => env[k]));

describe('parseDotenv (Compose’s .env syntax)', () => {
  it('reads comments, export, spaces, quotes and inline comments', () => {
    const text = [
      '# comment',
      'export A=1',
      'B = spaced',
      'C="double # kept"',
      "D='single $A'",
      'E=unquoted # comment',
      'F=',
      'G=trailing   ',
      'K: yaml-style',
      '',
    ].join('\n');
    expect(parse(text)).toEqual({
      A: '1',
      B: 'spaced',
      C: 'double # kept',
      D: 'single $A',
      E: 'unquoted',
      F: '',
      G: 'trailing',
      K: 'yaml-style',
    });
  });

  it('expands escapes in double quotes only, and multi-line values', () => {
    expect(parse('A="a\\tb\\nc \\\\ \\" \\$X"\nB=\'x\\ny\'\nC="one\ntwo"\n')).toEqual({
      A: 'a\tb\nc \\ " $X',
      B: 'x\\ny',
      C: 'one\ntwo',
    });
  });

  it('interpolates from the environment first, then the file’s earlier keys', () => {
    expect(parse('A=file\nB=${A}-${X:-d}\nC="${A}"\nD=\'${A}\'\n', { A: 'shell' })).toEqual({
      A: 'file',
      B: 'shell-d',
      C: 'shell',
      D: '${A}',
    });
    expect(parse('A=1\nB=$A\n')).toEqual({ A: '1', B: '1' });
  });

  it('takes a bare KEY from the environment, or leaves it out', () => {
    expect(parse('FROM_ENV\nMISSING\n', { FROM_ENV: 'x' })).toEqual({ FROM_ENV: 'x' });
  });

  it('shows an invisible character of a bad name by its code point, and no value', () => {
    expect(() => parseDotenv('\x7fPW=hunter2\n')).toThrow(
      /^unexpected character U\+007F in a variable name$/,
    );
    expect(() => parseDotenv('P$W=hunter2\n')).toThrow(/^unexpected character "\$" in a variable name$/);
  });

  it('names the line of a syntax error', () => {
    expect(() => parseDotenv('A=1\nBAD KEY=2\n')).toThrow(DotenvError);
    try {
      parseDotenv('A=1\n\nB="unterminated\n');
    } catch (error) {
      expect((error as DotenvError).line).toBe(3);
    }
  });
});
