// Bundles the CLI into dist/: dist/tscompose.cjs holds every command (CommonJS, so that dist/cli.js,
// the entry, can run it with a V8 code cache: see src/cli/bootstrap.ts); dockerode, needed only to
// build images, is dist/dockerode.cjs and is loaded when a build starts, never for `--help`.
import { build } from 'esbuild';
import { rm, chmod, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

// dockerode (used for image builds only) loads ssh2 for ssh:// hosts, and grpc + protobuf for BuildKit
// sessions, eagerly: about 1.4 MB that no tscompose command uses (ssh:// is refused, the engine's
// classic builder needs no session). They are replaced by stubs that say so if ever reached.
const stubs = {
  name: 'stubs',
  setup(b) {
    const stub = (filter, message, importer) => {
      b.onResolve({ filter }, (args) =>
        importer && !args.importer.includes(importer) ? undefined : { path: message, namespace: 'stub' },
      );
    };
    stub(/^ssh2$/, 'ssh:// DOCKER_HOST is not supported');
    stub(/^\.\/(session|buildkit)$/, 'BuildKit sessions are not supported', 'dockerode');
    // commander spawns child processes for executable subcommands only, which tscompose has none of:
    // its eager require of child_process (net, dgram, streams: a few ms of every start) is deferred
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      args.importer.includes('node_modules/commander/')
        ? { path: 'child_process', namespace: 'lazy' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({
      contents: `let loaded;
module.exports = new Proxy({}, { get: (_, key) => (loaded ??= require('node:${args.path}'))[key] });`,
      loader: 'js',
    }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({
      contents: `const fail = () => { throw new Error(${JSON.stringify(args.path)}); };
module.exports = fail; module.exports.Client = fail;`,
      loader: 'js',
    }));
  },
};

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
};
await rm('dist', { recursive: true, force: true });

// dockerode, required by the bundle only when an image is built
const keepDockerodeOut = {
  name: 'dockerode-apart',
  setup(b) {
    b.onResolve({ filter: /^dockerode$/ }, () => ({ path: './dockerode.cjs', external: true }));
  },
};
const builds = await Promise.all([
  build({
    ...common,
    entryPoints: { tscompose: 'src/cli/main.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    // import() becomes require(): code run from a V8 code cache has no dynamic-import callback
    supported: { 'dynamic-import': false },
    define: { __TSCOMPOSE_VERSION__: JSON.stringify(pkg.version) },
    // native add-ons that ssh2 loads optionally stay out (ssh2 itself is a stub)
    external: ['cpu-features', '*.node'],
    plugins: [stubs, keepDockerodeOut],
  }),
  build({
    ...common,
    entryPoints: { dockerode: createRequire(import.meta.url).resolve('dockerode') },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    external: ['cpu-features', '*.node'],
    plugins: [stubs],
  }),
  build({
    ...common,
    entryPoints: { cli: 'src/cli/bootstrap.ts' },
    outdir: 'dist',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
  }),
]);
// V8 keeps a source with any character beyond ASCII as a two-byte string: twice the memory, and a slower
// read and compile at every start. esbuild escapes strings and identifiers but leaves comments and
// regular expression literals as written; in both, \uXXXX says the same.
for (const file of ['dist/tscompose.cjs', 'dist/dockerode.cjs', 'dist/cli.js']) {
  const text = await readFile(file, 'utf8');
  const ascii = text.replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) await writeFile(file, ascii);
}
// dist/ holds CommonJS only: its own package.json says so, and node starts dist/cli.js without the
// ES module loader
await writeFile('dist/package.json', `${JSON.stringify({ type: 'commonjs' })}\n`);
await chmod('dist/cli.js', 0o755);
// which sources each output holds: bench/cli-startup.mjs uses it to prove what `--help` loads
const metafile = { inputs: {}, outputs: {} };
for (const { metafile: m } of builds) {
  Object.assign(metafile.inputs, m.inputs);
  Object.assign(metafile.outputs, m.outputs);
}
await writeFile('dist/meta.json', JSON.stringify(metafile));
const sizes = Object.entries(metafile.outputs)
  .filter(([f]) => /\.c?js$/.test(f))
  .map(([f, o]) => `${f} ${(o.bytes / 1024).toFixed(0)} KiB`);
console.log(`built ${sizes.join(', ')}`);
