#!/usr/bin/env node
// `config` side by side with Docker Compose v2, in one run, turn by turn: the generated 3-service
// and 100-service stacks (../shared/bench/gen-stacks.sh), median wall time of N runs each, and the
// ratio tscompose / docker compose (below 1: tscompose is faster). Measured with the machine's
// NODE_EXTRA_CA_CERTS and without it (it alone costs every Node process ~90 ms here).
// Also checks that `config` never loads dockerode. Usage: node bench/config.mjs [runs]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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

  // CPU time (user + system, from /usr/bin/time when present) is what the program itself costs;
  // wall time also counts waiting for a core, which on a shared machine is noise
  const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const once = (command, args, env) => {
    const start = process.hrtime.bigint();
    const r = timeBin
      ? spawnSync(timeBin, ['-f', 'CPU %U %S', command, ...args], {
          stdio: ['ignore', 'ignore', 'pipe'],
          env,
          encoding: 'utf8',
        })
      : spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env, encoding: 'utf8' });
    const wall = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    const cpuLine = r.stderr.split('\n').find((l) => l.startsWith('CPU '));
    const cpu = cpuLine
      ? cpuLine
          .split(' ')
          .slice(1)
          .reduce((sum, x) => sum + Number(x) * 1000, 0)
      : NaN;
    return { wall, cpu };
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
    `date ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${runs} runs each, alternating, median ms`,
  );
  console.log(
    `load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `${'stack'.padEnd(14)}${'environment'.padEnd(30)}${'wall: ours'.padStart(11)}${'compose'.padStart(9)}${'ratio'.padStart(7)}${'cpu: ours'.padStart(11)}${'compose'.padStart(9)}${'ratio'.padStart(7)}`,
  );
  for (const [label, file] of stacks) {
    for (const [envLabel, env] of envs) {
      const ours = [];
      const theirs = [];
      for (let i = 0; i < runs; i++) {
        ours.push(once(process.execPath, [cli, '-f', file, 'config'], env));
        theirs.push(once('docker', ['compose', '-f', file, 'config'], env));
      }
      const cell = (pick) => {
        const a = median(ours.map(pick));
        const b = median(theirs.map(pick));
        return `${a.toFixed(0).padStart(11)}${b.toFixed(0).padStart(9)}${(a / b).toFixed(2).padStart(7)}`;
      };
      console.log(`${label.padEnd(14)}${envLabel.padEnd(30)}${cell((t) => t.wall)}${cell((t) => t.cpu)}`);
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
  // (dist/cli.js reads the CommonJS bundle itself, and says so with TSCOMPOSE_TRACE_LOAD=1)
  const trace = spawnSync(process.execPath, ['--import', hook, cli, '-f', stacks[0][1], 'config'], {
    encoding: 'utf8',
    env: { ...process.env, TSCOMPOSE_TRACE_LOAD: '1' },
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
