// Secret values in what `tscompose config` prints and in its errors: a `.env` value that a secret
// reads never shows, even when the `.env` file is wrong around it; a value the user put in a
// service's environment on purpose does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { projectDir, tscompose } from '../../support/cli.js';

const marker = 'Zq7sEcReT';
const compose = (extra = '') => `
services:
  app:
    image: debian:bookworm
    secrets: [db_pw, env_pw]${extra}
secrets:
  db_pw:
    file: ./db_pw.txt
  env_pw:
    environment: DB_PASSWORD
`;

async function config(files: Record<string, string>, ...args: string[]) {
  const cwd = projectDir({ 'db_pw.txt': `${marker}-file`, ...files });
  const r = await tscompose(['config', ...args], { cwd });
  return { ...r, all: `${r.stdout}\n${r.stderr}` };
}

describe('secret values in config output and errors', () => {
  it('config --environment hides the variables secrets read, and only those', async () => {
    const r = await config(
      { 'compose.yaml': compose(), '.env': `DB_PASSWORD=${marker}\nOTHER=shown\n` },
      '--environment',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.all).not.toContain(marker);
    expect(r.stdout).toContain('DB_PASSWORD=(hidden: the value of a secret)\n');
    expect(r.stdout).toContain('OTHER=shown\n');
  });

  it.each([[[]], [['--format', 'json']], [['--variables']], [['--no-interpolate']], [['--hash', '*']]])(
    'config %j prints no secret value',
    async (args) => {
      const r = await config({ 'compose.yaml': compose(), '.env': `DB_PASSWORD=${marker}\n` }, ...args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
      expect(r.all).not.toContain(marker);
    },
  );

  it('a value the user put in the environment explicitly is printed', async () => {
    const r = await config({
      'compose.yaml': compose('\n    environment:\n      PW: ${DB_PASSWORD}'),
      '.env': `DB_PASSWORD=${marker}\n`,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`PW: ${marker}`);
    expect(r.stdout).not.toContain(`${marker}-file`);
  });

  it.each([
    ['a broken interpolation', `DB_PASSWORD=${marker}\${oops\n`],
    ['a broken quoted interpolation', `DB_PASSWORD="${marker}\${x:-"\n`],
    ['a bad character in a name', `DB_PASS!WORD=${marker}\n`],
    ['a space in a name', `DB PASSWORD=${marker}\n`],
    ['an unterminated quote', `DB_PASSWORD="${marker}\n`],
  ])('an error in the .env file (%s) does not quote the value', async (_, dotenv) => {
    const r = await config({ 'compose.yaml': compose(), '.env': dotenv });
    expect(r.code).toBe(15);
    expect(r.stderr).toMatch(/\.env:1/);
    expect(r.all).not.toContain(marker);
  });

  it('an error about a service that uses a secret names the secret, not its value', async () => {
    const r = await config({
      'compose.yaml': compose().replace('[db_pw, env_pw]', '[db_pw, env_pw, nope]'),
      '.env': `DB_PASSWORD=${marker}\n`,
    });
    expect(r.code).toBe(15);
    expect(r.stderr).toContain('nope');
    expect(r.all).not.toContain(marker);
  });

  it('whatever the .env value of a secret is, config never prints it', async () => {
    const piece = fc.constantFrom(
      '$',
      '${',
      '}',
      '{',
      ':-',
      ':?',
      '"',
      "'",
      '\\',
      '#',
      ' ',
      '=',
      'x',
      '\n',
      marker,
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 10 }), fc.boolean(), async (pieces, quoted) => {
        // one value as the user meant it: an unquoted one ends at the line's end, a quoted one at its quote
        const value = [marker, ...pieces].join('');
        const written = quoted ? `"${value.replace(/["\\]/g, '\\$&')}"` : value.replaceAll('\n', '');
        const dotenv = `DB_PASSWORD=${written}\n`;
        for (const args of [[], ['--environment']]) {
          const r = await config({ 'compose.yaml': compose(), '.env': dotenv }, ...args);
          expect([0, 15]).toContain(r.code);
          expect(r.all).not.toContain(marker);
        }
      }),
      { numRuns: 100 },
    );
  });
});
