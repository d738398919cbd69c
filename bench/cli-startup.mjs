#!/usr/bin/env node
// Start-up of the bundled CLI: wall time of `node dist/cli.js --help` (and --version) over N runs,
// and which bundle files it loads. Fails if a file holding dockerode is loaded or the median is over
// the budget. Usage: node bench/cli-startup.mjs [runs] [budget-ms]
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

console.log(
  `date ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${runs} runs each, median wall ms`,
);
let help = 0;
for (const [label, env] of envs) {
  const nodeAlone = median(time(['-e', '0'], env));
  help = median(time([`${root}/dist/cli.js`, '--help'], env));
  const version = median(time([`${root}/dist/cli.js`, '--version'], env));
  console.log(`environment ${label}:`);
  console.log(`  node -e 0            ${nodeAlone.toFixed(1)}`);
  console.log(
    `  tscompose --help     ${help.toFixed(1)}  (${(help - nodeAlone).toFixed(1)} over node alone)`,
  );
  console.log(`  tscompose --version  ${version.toFixed(1)}`);
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
if (help > budgetMs) {
  console.log(`FAIL: --help median ${help.toFixed(1)} ms is over the ${budgetMs} ms budget`);
  ok = false;
}
process.exit(ok ? 0 : 1);
