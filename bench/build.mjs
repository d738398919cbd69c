#!/usr/bin/env node
// `tscompose build` side by side with `docker compose build` on the same stack, in one run: cold
// (--no-cache, every step runs) and cached (nothing changed). The stack is srcs/ (the Inception
// project) when it exists, else bench/build-stack (three Inception-shaped images). Each tool builds
// under its own project name and without `image:` names, so neither reuses the other's images.
// Fails when tscompose/Compose is over 1.0 for either. Images made here are removed at the end.
// Usage: node bench/build.mjs [cold-runs=1] [cached-runs=5]
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
const coldRuns = Number(process.argv[2] ?? 1);
const cachedRuns = Number(process.argv[3] ?? 5);
const original = ['srcs/docker-compose.yml', 'srcs/compose.yaml', 'bench/build-stack/docker-compose.yml']
  .map((f) => join(root, f))
  .find((f) => existsSync(f));
const suffix = randomBytes(3).toString('hex');
const projects = { compose: `tsc-bench-compose-${suffix}`, tscompose: `tsc-bench-tsc-${suffix}` };

// The same file for both tools, beside the original so that relative paths and .env mean the same,
// with image names removed: each tool then names images <project>-<service>.
const doc = parseDocument(readFileSync(original, 'utf8'));
const services = doc.get('services');
const names = [];
for (const item of services.items) {
  // services of a profile are built by neither tool unless the profile is enabled
  if (!item.value.get('profiles')) names.push(String(item.key.value ?? item.key));
  item.value.delete('image');
  item.value.delete('container_name');
}
doc.delete('name');
const file = join(dirname(original), `.bench-build-${suffix}.yml`);
writeFileSync(file, doc.toString());

const commands = {
  compose: (extra) => ['docker', ['compose', '-f', file, '-p', projects.compose, 'build', ...extra]],
  tscompose: (extra) => [
    process.execPath,
    [join(root, 'dist/cli.js'), '-f', file, '-p', projects.tscompose, 'build', ...extra],
  ],
};

function time(tool, extra) {
  const [cmd, args] = commands[tool](extra);
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, COMPOSE_PROGRESS: 'plain' } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${tool} build failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return seconds;
}

function removeImages(project) {
  const ids = spawnSync(
    'docker',
    ['images', '-q', '--filter', `label=com.docker.compose.project=${project}`],
    {
      encoding: 'utf8',
    },
  )
    .stdout.split('\n')
    .filter(Boolean);
  if (ids.length) spawnSync('docker', ['rmi', '-f', ...new Set(ids)], { stdio: 'ignore' });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

let ok = true;
try {
  const compose = spawnSync('docker', ['compose', 'version', '--short'], { encoding: 'utf8' }).stdout.trim();
  console.log(
    `date ${new Date().toISOString().slice(0, 10)}, node ${process.version}, docker compose ${compose}, ` +
      `stack ${original.slice(root.length)} (${names.join(', ')}), load average ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`,
  );
  const results = {};
  for (const [label, extra, runs] of [
    ['cold (--no-cache)', ['--no-cache'], coldRuns],
    ['cached', [], cachedRuns],
  ]) {
    const times = { compose: [], tscompose: [] };
    for (let i = 0; i < runs; i++) {
      // alternate who goes first, so that neither always finds the mirror or the disk warmer
      const order = i % 2 === 0 ? ['compose', 'tscompose'] : ['tscompose', 'compose'];
      for (const tool of order) times[tool].push(time(tool, extra));
    }
    const c = median(times.compose);
    const t = median(times.tscompose);
    results[label] = t / c;
    console.log(
      `${label.padEnd(18)} docker compose ${c.toFixed(2)} s  tscompose ${t.toFixed(2)} s  ratio ${(t / c).toFixed(2)}` +
        `  (runs: compose ${times.compose.map((x) => x.toFixed(2)).join(' ')}; tscompose ${times.tscompose.map((x) => x.toFixed(2)).join(' ')})`,
    );
    if (t / c > 1) {
      console.log(`FAIL: ${label} ratio ${(t / c).toFixed(2)} is over 1.0`);
      ok = false;
    }
  }
} finally {
  removeImages(projects.compose);
  removeImages(projects.tscompose);
  rmSync(file, { force: true });
}
process.exit(ok ? 0 : 1);
