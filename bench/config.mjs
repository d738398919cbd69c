#!/usr/bin/env node
// `config` side by side with Docker Compose v2, in one run, turn by turn: the generated 3-service
// and 100-service stacks (../shared/bench/gen-stacks.sh), median wall time of N runs each, and the
// ratio tscompose / docker compose (below 1: tscompose is faster). Measured with the machine's
// NODE_EXTRA_CA_CERTS and without it (it alone costs every Node process ~90 ms here).
// Also checks that `config` never loads dockerode. Usage: node bench/config.mjs [runs]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 21);
const cli = join(root, 'dist/cli.js');
// ../shared is beside the project (a worktree may sit one level deeper)
const genStacks =
  process.env.GEN_STACKS ??
  ['../shared', '../../shared'].map((d) => join(root, d, 'bench/gen-stacks.sh')).find((f) => existsSync(f));
if (!genStacks) throw new Error('gen-stacks.sh not found: set GEN_STACKS');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const dir = mkdtempSync(join(tmpdir(), 'tsc-bench-config-'));
try {
  const gen = spawnSync(genStacks, [dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (gen.status !== 0) throw new Error(`${genStacks} failed`);
  const stacks = [
    ['3 services', join(dir, 'small/compose.yaml')],
    ['100 services', join(dir, 'wide100/compose.yaml')],
  ];

  const plainEnv = { ...process.env };
  delete plainEnv.NODE_EXTRA_CA_CERTS;
  const envs = process.env.NODE_EXTRA_CA_CERTS
    ? [
        ['with NODE_EXTRA_CA_CERTS', process.env],
        ['without NODE_EXTRA_CA_CERTS', plainEnv],
      ]
    : [['as set', process.env]];

  const once = (command, args, env) => {
    const start = process.hrtime.bigint();
    const r = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };

  // the outputs must agree before timing means anything
  for (const [, file] of stacks) {
    const ours = spawnSync(process.execPath, [cli, '-f', file, 'config', '--format', 'json'], {
      encoding: 'utf8',
    });
    const theirs = spawnSync('docker', ['compose', '-f', file, 'config', '--format', 'json'], {
      encoding: 'utf8',
    });
    const a = JSON.parse(ours.stdout);
    const b = JSON.parse(theirs.stdout);
    if (Object.keys(a.services).length !== Object.keys(b.services).length)
      throw new Error(`${file}: tscompose and docker compose disagree on the services`);
  }

  console.log(
    `date ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${runs} runs each, alternating, median wall ms`,
  );
  console.log(
    `${'stack'.padEnd(14)}${'environment'.padEnd(30)}${'tscompose'.padStart(10)}${'compose'.padStart(10)}${'ratio'.padStart(8)}`,
  );
  for (const [label, file] of stacks) {
    for (const [envLabel, env] of envs) {
      const ours = [];
      const theirs = [];
      for (let i = 0; i < runs; i++) {
        ours.push(once(process.execPath, [cli, '-f', file, 'config'], env));
        theirs.push(once('docker', ['compose', '-f', file, 'config'], env));
      }
      const a = median(ours);
      const b = median(theirs);
      console.log(
        `${label.padEnd(14)}${envLabel.padEnd(30)}${a.toFixed(1).padStart(10)}${b.toFixed(1).padStart(10)}${(a / b).toFixed(2).padStart(8)}`,
      );
    }
  }

  // which bundle files `config` loads: never the engine client
  const meta = JSON.parse(readFileSync(join(root, 'dist/meta.json'), 'utf8'));
  const hook = `data:text/javascript,${encodeURIComponent(`
    import { register } from 'node:module';
    register('data:text/javascript,' + encodeURIComponent(\`
      export async function load(url, context, next) {
        if (url.includes('/dist/')) process.stderr.write('LOADED ' + url + '\\\\n');
        return next(url, context);
      }\`));
  `)}`;
  const trace = spawnSync(process.execPath, ['--import', hook, cli, '-f', stacks[0][1], 'config'], {
    encoding: 'utf8',
  });
  const loaded = trace.stderr
    .split('\n')
    .filter((l) => l.startsWith('LOADED '))
    .map((l) => l.slice('LOADED '.length).replace(/^.*\/dist\//, 'dist/'));
  const holdsDockerode = Object.entries(meta.outputs)
    .filter(([, o]) => Object.keys(o.inputs).some((i) => i.includes('node_modules/dockerode/')))
    .map(([f]) => f);
  console.log(`files loaded by config: ${loaded.join(', ')}`);
  const leaked = loaded.filter((f) => holdsDockerode.includes(f));
  if (leaked.length > 0) {
    console.log(`FAIL: config loads dockerode (${leaked.join(', ')})`);
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
