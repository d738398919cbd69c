// The CLI bundled from the current sources into a temporary directory, as scripts/build.mjs bundles
// dist/ (without touching dist/), with a `tscompose` command on a PATH for shells to find.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

export interface BundledCli {
  /** The bundle's entry: `node <main> ARGS`. */
  main: string;
  /** A directory holding an executable `tscompose`, to put first on PATH. */
  bin: string;
  remove(): void;
}

export async function bundleCli(): Promise<BundledCli> {
  const dir = mkdtempSync(join(tmpdir(), 'tsc-cli-'));
  await build({
    entryPoints: { cli: new URL('../../src/cli/main.ts', import.meta.url).pathname },
    outdir: join(dir, 'dist'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    define: { __TSCOMPOSE_VERSION__: JSON.stringify('0.0.0-test') },
    banner: {
      js: "import { createRequire as __tscCreateRequire } from 'node:module'; import { dirname as __tscDirname } from 'node:path'; import { fileURLToPath as __tscFileURLToPath } from 'node:url'; const require = __tscCreateRequire(import.meta.url); const __filename = __tscFileURLToPath(import.meta.url); const __dirname = __tscDirname(__filename);",
    },
    external: ['cpu-features', '*.node'],
    logLevel: 'warning',
  });
  const main = join(dir, 'dist', 'cli.js');
  const bin = join(dir, 'bin');
  const shim = join(bin, 'tscompose');
  mkdirSync(bin);
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${main}" "$@"\n`);
  chmodSync(shim, 0o755);
  return { main, bin, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
