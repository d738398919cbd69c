// Bundles the CLI into dist/: dist/cli.js is the entry; every lazily imported command and the engine
// client become their own chunks, so `--help` reads one small file and never loads dockerode.
import { build } from 'esbuild';
import { rm, chmod, readFile, writeFile } from 'node:fs/promises';

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
    b.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({
      contents: `const fail = () => { throw new Error(${JSON.stringify(args.path)}); };
module.exports = fail; module.exports.Client = fail;`,
      loader: 'js',
    }));
  },
};

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
await rm('dist', { recursive: true, force: true });
const result = await build({
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  metafile: true,
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  // less text for V8 to parse at start-up; names stay, so stack traces still read
  minifyWhitespace: true,
  minifySyntax: true,
  define: { __TSCOMPOSE_VERSION__: JSON.stringify(pkg.version) },
  // CommonJS dependencies (dockerode) call require() and read __dirname when they load (ssh2, under
  // docker-modem); give ESM chunks both.
  banner: {
    js: "import { createRequire as __tscCreateRequire } from 'node:module'; import { dirname as __tscDirname } from 'node:path'; import { fileURLToPath as __tscFileURLToPath } from 'node:url'; let __tscRequire; const require = new Proxy(function () {}, { apply: (_t, self, args) => (__tscRequire ??= __tscCreateRequire(import.meta.url)).apply(self, args), get: (_t, key) => (__tscRequire ??= __tscCreateRequire(import.meta.url))[key] }); const __filename = __tscFileURLToPath(import.meta.url); const __dirname = __tscDirname(__filename);",
  },
  // Native add-ons that ssh2 loads optionally (ssh:// hosts only); they stay out of the bundle.
  external: ['cpu-features', '*.node'],
  logLevel: 'warning',
  plugins: [stubs],
});
await chmod('dist/cli.js', 0o755);
// which sources each output holds: bench/cli-startup.mjs uses it to prove what `--help` loads
await writeFile('dist/meta.json', JSON.stringify(result.metafile));
const sizes = Object.entries(result.metafile.outputs)
  .filter(([f]) => f.endsWith('.js'))
  .map(([f, o]) => `${f} ${(o.bytes / 1024).toFixed(0)} KiB`);
console.log(`built ${sizes.length} files: ${sizes.slice(0, 3).join(', ')}${sizes.length > 3 ? ', ...' : ''}`);
