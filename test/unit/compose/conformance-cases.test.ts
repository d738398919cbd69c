// The project's own Compose-compatibility cases (test/fixtures/conformance, outputs of Docker
// Compose 2.26.1 made by scripts/regenerate-conformance.sh), run in-process on every `make test`,
// without the shared runner beside the repository. A case is a folder of compose files with
// `expected.json` (Compose's `config --format json`, its folder written as @CASE_DIR@) or
// `expected.err` (Compose refused it), an optional `args` line and an optional `env` (the only
// environment the command sees). Outputs are compared as models: null, {} and [] count as absent,
// key order does not matter, array order does.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tscompose } from '../../support/cli.js';

const casesDir = fileURLToPath(new URL('../../fixtures/conformance', import.meta.url));
const cases = readdirSync(casesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

function asModel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asModel);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const m = asModel(v);
    const empty =
      m === null ||
      (Array.isArray(m) ? m.length === 0 : typeof m === 'object' && Object.keys(m).length === 0);
    if (!empty) out[key] = m;
  }
  return out;
}

const lines = (file: string) =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : [];

describe('config --format json matches Docker Compose v2 on the project cases', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(50));

  it.each(cases)('%s', async (name) => {
    const dir = join(casesDir, name);
    const args = (lines(join(dir, 'args'))[0] ?? '').split(/\s+/).filter(Boolean);
    const env = Object.fromEntries(
      lines(join(dir, 'env')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const result = await tscompose([...args, 'config', '--format', 'json'], { cwd: dir, env });
    if (existsSync(join(dir, 'expected.err'))) {
      expect(result.code, result.stdout).not.toBe(0);
      expect(result.stderr).not.toBe('');
      return;
    }
    expect(result.code, result.stderr).toBe(0);
    const expected = readFileSync(join(dir, 'expected.json'), 'utf8').replaceAll('@CASE_DIR@', dir);
    expect(asModel(JSON.parse(result.stdout))).toEqual(asModel(JSON.parse(expected)));
  });
});
