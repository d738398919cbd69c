#!/usr/bin/env node
// Start-up of the bundled CLI: wall time of `node dist/cli.js --help` (and --version) over N runs,
// and which bundle files it loads, with the CPU time (user + system) of the same runs: on a loaded
// machine wall time mostly measures the others, CPU time what tscompose costs. Fails if a file holding
// dockerode is loaded or --help costs more CPU over `node -e 0` than the budget.
// Usage: node bench/cli-startup.mjs [runs] [budget-ms]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 30);
const budgetMs = Number(process.argv[3] ?? 100);
const meta = JSON.parse(readFileSync(`${root}/dist/meta.json`, 'utf8'));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
// NODE_EXTRA_CA_CERTS makes every Node process parse a CA bundle at start (about 90 ms on these
// machines, `node -e 0` included). It is a setting of the machine, not of tscompose: measure both.
const plainEnv = { ...process.env };
delete plainEnv.NODE_EXTRA_CA_CERTS;
const envs = process.env.NODE_EXTRA_CA_CERTS
  ? [
      ['as set', process.env],
      ['without NODE_EXTRA_CA_CERTS', plainEnv],
    ]
  : [['as set', process.env]];

/** Mean CPU ms (user + system) of one run, from the shell's `times` over all runs (Linux, bash). */
const cpu = (args, env) => {
  const loop = `for ((i = 0; i < ${runs}; i++)); do "$0" "$@" >/dev/null 2>&1 </dev/null || exit 1; done; times`;
  const r = spawnSync('bash', ['-c', loop, process.execPath, ...args], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed`);
  const children = r.stdout.trim().split('\n')[1] ?? '';
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return (seconds.reduce((a, b) => a + b, 0) * 1000) / runs;
};

const time = (args, env) => {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore', env });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times;
};

// Which dist files does `--help` load? A loader hook records every module URL Node resolves.
const hook = `data:text/javascript,${encodeURIComponent(`
  import { register } from 'node:module';
  register('data:text/javascript,' + encodeURIComponent(\`
    export async function load(url, context, next) {
      if (url.includes('/dist/')) process.stderr.write('LOADED ' + url + '\\\\n');
      return next(url, context);
    }\`));
`)}`;
// (dist/cli.js reads the CommonJS bundle itself, and says so with TSCOMPOSE_TRACE_LOAD=1)
const trace = spawnSync(process.execPath, ['--import', hook, `${root}/dist/cli.js`, '--help'], {
  encoding: 'utf8',
  env: { ...process.env, TSCOMPOSE_TRACE_LOAD: '1' },
});
const loaded = trace.stderr
  .split('\n')
  .filter((l) => l.startsWith('LOADED '))
  .map((l) => l.slice('LOADED '.length).replace(/^.*\/dist\//, 'dist/'));
const holdsDockerode = Object.entries(meta.outputs)
  .filter(([, o]) => Object.keys(o.inputs).some((i) => i.includes('node_modules/dockerode/')))
  .map(([file]) => file);

console.log(`date ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${runs} runs each, ms`);
let helpCpuOver = 0;
for (const [label, env] of envs) {
  const help = [`${root}/dist/cli.js`, '--help'];
  const version = [`${root}/dist/cli.js`, '--version'];
  const wall = [['-e', '0'], help, version].map((args) => median(time(args, env)));
  const used = [['-e', '0'], help, version].map((args) => cpu(args, env));
  const over = (t) => `(${(t[1] - t[0]).toFixed(1)} over node alone, ${(t[1] / t[0]).toFixed(2)}x)`;
  console.log(`environment ${label}:           wall median | CPU mean`);
  console.log(`  node -e 0            ${wall[0].toFixed(1).padStart(6)} | ${used[0].toFixed(1).padStart(6)}`);
  console.log(
    `  tscompose --help     ${wall[1].toFixed(1).padStart(6)} | ${used[1].toFixed(1).padStart(6)}  wall ${over(wall)}, CPU ${over(used)}`,
  );
  console.log(`  tscompose --version  ${wall[2].toFixed(1).padStart(6)} | ${used[2].toFixed(1).padStart(6)}`);
  helpCpuOver = used[1] - used[0];
}
console.log(`files loaded by --help: ${loaded.join(', ')}`);
console.log(`files holding dockerode: ${holdsDockerode.join(', ') || '(none built yet)'}`);
const leaked = loaded.filter((f) => holdsDockerode.includes(f));
let ok = true;
if (leaked.length > 0) {
  console.log(`FAIL: --help loads dockerode (${leaked.join(', ')})`);
  ok = false;
}
// the budget applies to the last environment measured: tscompose's own cost, not the machine's CA setting
if (helpCpuOver > budgetMs) {
  console.log(
    `FAIL: --help costs ${helpCpuOver.toFixed(1)} ms of CPU over node alone, over the ${budgetMs} ms budget`,
  );
  ok = false;
}
process.exit(ok ? 0 : 1);
