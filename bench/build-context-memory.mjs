#!/usr/bin/env node
// Peak memory of a build with a 1 GiB context: tscompose streams the tar to the engine, so its peak
// RSS must stay far below the context's size. Measures, each in a fresh process: Node idle with the
// modules loaded, the source digest (reads every byte), and a real build on the engine (the whole
// context sent through POST /build). Fails when a peak is over the budget.
// Usage: node bench/build-context-memory.mjs [size-MiB=1024] [budget-MiB=150]
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Buffer } from 'node:buffer';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const sizeMiB = Number(process.argv[2] ?? 1024);
const budgetMiB = Number(process.argv[3] ?? 150);
const work = await mkdtemp(join(tmpdir(), 'tsc-bench-ctx-'));
const tag = `tsc-bench-ctx-${randomBytes(4).toString('hex')}`;

// The probe: the sources under test, bundled as the CLI bundles them.
const probeSource = `
import Docker from 'dockerode';
import { prepareContext } from '${root}/src/build/context.ts';
import { buildDigest } from '${root}/src/build/digest.ts';
import { buildImage } from '${root}/src/engine/build-image.ts';
import { packContext } from '${root}/src/build/context-tar.ts';
const [mode, contextDir, tag] = process.argv.slice(2);
const start = performance.now();
const context = await prepareContext({ service: 'bench', contextDir, dockerfile: { kind: 'file', path: 'Dockerfile' } });
let detail = '';
if (mode === 'digest') {
  detail = await buildDigest(context, { args: {}, labels: {} });
} else if (mode === 'engine') {
  let sent = 0;
  const tar = packContext(context);
  tar.on('data', (chunk) => { sent += chunk.length; });
  for await (const m of buildImage(new Docker(), { context: tar, dockerfile: context.dockerfileName, tags: [tag] })) {
    if (m.kind === 'error') throw new Error(m.message);
    if (m.kind === 'image-id') detail = m.id;
  }
  detail += ' sent ' + (sent / 2 ** 20).toFixed(0) + ' MiB';
}
const ms = performance.now() - start;
process.stdout.write(JSON.stringify({ maxRssMiB: process.resourceUsage().maxRSS / 1024, ms, detail }));
`;
await writeFile(join(work, 'probe-entry.ts'), probeSource);
await build({
  entryPoints: [join(work, 'probe-entry.ts')],
  outfile: join(work, 'probe.mjs'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // as scripts/build.mjs: CommonJS dependencies (dockerode, ssh2) need require and __dirname in ESM
  banner: {
    js: "import { createRequire as __r } from 'node:module'; import { fileURLToPath as __f } from 'node:url'; import { dirname as __d } from 'node:path'; const require = __r(import.meta.url); const __dirname = __d(__f(import.meta.url));",
  },
  external: ['cpu-features', '*.node'],
  nodePaths: [join(root, 'node_modules')],
  logLevel: 'warning',
});

// The context: incompressible files of 64 MiB up to the size, a few small ones, and a Dockerfile that
// copies nothing (the engine still receives and unpacks the whole context).
const ctx = join(work, 'ctx');
await mkdir(join(ctx, 'data'), { recursive: true });
await writeFile(join(ctx, 'Dockerfile'), 'FROM debian:bookworm\nRUN true\n');
for (let i = 0; i < 100; i++) await writeFile(join(ctx, `small-${i}.txt`), `file ${i}\n`);
const chunk = randomBytes(1 << 20);
for (let written = 0, file = 0; written < sizeMiB; file++) {
  const out = createWriteStream(join(ctx, 'data', `blob-${file}.bin`));
  for (let i = 0; i < 64 && written < sizeMiB; i++, written++) {
    chunk.writeUInt32LE(written, 0);
    if (!out.write(Buffer.from(chunk))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

const probe = (mode) => {
  const r = spawnSync(process.execPath, [join(work, 'probe.mjs'), mode, ctx, tag], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`probe ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
};

let ok = true;
try {
  console.log(
    `date ${new Date().toISOString().slice(0, 10)}, node ${process.version}, context ${sizeMiB} MiB`,
  );
  for (const [mode, label] of [
    ['idle', 'modules loaded, nothing read'],
    ['digest', 'source digest (reads every byte)'],
    ['engine', 'build on the engine (whole context sent)'],
  ]) {
    const r = probe(mode);
    console.log(
      `  ${label.padEnd(42)} peak RSS ${r.maxRssMiB.toFixed(0).padStart(4)} MiB  ${(r.ms / 1000).toFixed(1)} s  ${r.detail}`,
    );
    if (r.maxRssMiB > budgetMiB) {
      console.log(`FAIL: ${mode} peaked at ${r.maxRssMiB.toFixed(0)} MiB, over the ${budgetMiB} MiB budget`);
      ok = false;
    }
  }
} finally {
  spawnSync('docker', ['rmi', '-f', tag], { stdio: 'ignore' });
  await rm(work, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
