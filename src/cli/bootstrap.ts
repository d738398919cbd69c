// dist/cli.js: starts the CLI bundle (dist/tscompose.cjs) with a V8 code cache.
//
// Compiling the bundle's code costs more than anything tscompose does for an unchanged project, and
// Node 20 keeps no compile cache of its own. So the bundle runs through vm.Script with the code V8
// compiled the last time the same command ran (one cache per command: `up` and `--help` run
// different code), kept in ~/.cache/tscompose/v8. V8 refuses a cache of another version or other
// flags; the file name carries the bundle's size and time, so a rebuilt bundle never meets old code.
// Without a writable cache directory everything works the same, only slower.
import {
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const bundle = join(dirname(fileURLToPath(import.meta.url)), 'tscompose.cjs');
const trace = process.env.TSCOMPOSE_TRACE_LOAD === '1';
if (trace) process.stderr.write(`LOADED ${bundle}\n`);

/** The command word, past the global options and their values: it selects the cache. */
function commandOf(argv: string[]): string {
  const withValue =
    /^(-f|--file|-p|--project-name|--project-directory|--profile|--env-file|--parallel|--progress|--ansi)$/;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (withValue.test(arg)) i++;
    else if (!arg.startsWith('-')) return arg.replace(/[^a-z0-9-]/gi, '');
  }
  return argv.length ? 'help' : 'none';
}

// the entry's `#!` line becomes a comment (same lines, so stack traces keep their line numbers)
const source = readFileSync(bundle, 'utf8').replace(/^#!/, '//');
const { size, mtimeMs } = statSync(bundle);
const cacheDir = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tscompose', 'v8');
const key = `${process.version}-${size}-${Math.floor(mtimeMs)}`;
const cacheFile = join(cacheDir, `${key}-${commandOf(process.argv.slice(2))}.bin`);
let cachedData: Buffer | undefined;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}

const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: bundle,
  cachedData,
});
const baseRequire = createRequire(bundle);
const bundleRequire = Object.assign((id: string) => {
  if (trace && id.startsWith('./')) process.stderr.write(`LOADED ${join(dirname(bundle), id)}\n`);
  return baseRequire(id) as unknown;
}, baseRequire);

if (cachedData === undefined || script.cachedDataRejected)
  // the code compiled by this run, once it ran well: later runs of the command start from it
  process.once('exit', (code) => {
    if (code !== 0) return;
    try {
      mkdirSync(cacheDir, { recursive: true });
      for (const old of readdirSync(cacheDir)) if (!old.startsWith(key)) unlinkSync(join(cacheDir, old));
      const temporary = `${cacheFile}.${process.pid}`;
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, cacheFile);
    } catch {
      // no cache this time; the next run tries again
    }
  });

const module = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void).call(
  module.exports,
  module.exports,
  bundleRequire,
  module,
  bundle,
  dirname(bundle),
);
