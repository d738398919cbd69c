#!/usr/bin/env node
// Watch latency, tscompose against `docker compose watch`, on the same stack in one run:
//  1. save → new content visible inside the container, over N saves (default 50): the container's
//     own HTTP server reads the synced file, polled every 5 ms from here;
//  2. save of the Dockerfile → rebuilt service answering with the new image, over R rebuilds (3).
// Each tool gets its own copy of the stack, project name and port; both watch at once.
// Usage: node bench/watch.mjs [saves] [rebuilds]
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const saves = Number(process.argv[2] ?? 50);
const rebuilds = Number(process.argv[3] ?? 3);

// A web server in perl (perl-base is in every Debian image): / paths from /srv/html, /version from the image.
const server = `
use IO::Socket::INET;
my $s = IO::Socket::INET->new(LocalPort => 8080, Listen => 64, ReuseAddr => 1) or die "listen: $!";
$SIG{TERM} = sub { exit 0 };
while (my $c = $s->accept) {
  my $line = <$c> // ''; my ($path) = $line =~ m{^GET (\\S+)};
  while (my $h = <$c>) { last if $h =~ /^\\r?\\n$/ }
  my $file = ($path // '') eq '/version' ? '/version' : "/srv/html" . ($path // '/');
  my $body = ''; if (open my $fh, '<', $file) { local $/; $body = <$fh>; close $fh }
  print $c "HTTP/1.0 200 OK\\r\\nContent-Length: " . length($body) . "\\r\\nConnection: close\\r\\n\\r\\n" . $body;
  close $c;
}`;

const dockerfile = (version) =>
  `FROM debian:bookworm\nCOPY server.pl /server.pl\nCOPY html /srv/html\nRUN echo ${version} > /version\nCMD ["perl", "/server.pl"]\n`;

const compose = (port) => `services:
  web:
    build: ./web
    init: true
    ports: ["127.0.0.1:${port}:8080"]
    develop:
      watch:
        - path: ./web/html
          action: sync
          target: /srv/html
        - path: ./web/Dockerfile
          action: rebuild
`;

function makeStack(port) {
  const dir = mkdtempSync(join(tmpdir(), 'tsc-bench-watch-'));
  mkdirSync(join(dir, 'web/html'), { recursive: true });
  writeFileSync(join(dir, 'compose.yaml'), compose(port));
  writeFileSync(join(dir, 'web/server.pl'), server);
  writeFileSync(join(dir, 'web/Dockerfile'), dockerfile('v0'));
  writeFileSync(join(dir, 'web/html/index.html'), 'start');
  for (let i = 0; i < 20; i++) writeFileSync(join(dir, `web/html/page${i}.html`), `page ${i}`);
  return dir;
}

function get(port, path) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, timeout: 1000, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
      res.on('error', () => resolve(undefined));
    });
    req.on('error', () => resolve(undefined));
    req.on('timeout', () => req.destroy());
  });
}

async function until(port, path, expected, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if ((await get(port, path))?.trim() === expected) return true;
    await sleep(5);
  }
  return false;
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

/** Starts a watch process and resolves once it prints its ready line. */
function startWatch(cmd, args, cwd, readyPattern, log) {
  const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const onData = (d) => {
      output += d;
      log.push(String(d));
      if (readyPattern.test(output)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${cmd} exited with ${code}:\n${output}`)));
  });
  return { child, ready };
}

/** Brings a tool's copy of the stack up under its watch; resolves once the service answers. */
async function prepare(tool) {
  const port = 18000 + Math.floor(Math.random() * 1000);
  const dir = makeStack(port);
  const project = `tsc-bench-watch-${tool.name.replace(/\W/g, '')}-${randomBytes(3).toString('hex')}`;
  const side = { tool, port, dir, project, log: [], syncMs: [], rebuildMs: [] };
  if (tool.upFirst) {
    const args = [...tool.up.slice(1), '-p', project, 'up', '-d', '--build', '--wait'];
    const up = spawnSync(tool.up[0], args, { cwd: dir, encoding: 'utf8' });
    if (up.status !== 0) throw new Error(`${tool.name} up failed:\n${up.stderr}`);
  }
  side.watch = startWatch(tool.cmd, tool.args(project), dir, tool.ready, side.log);
  await side.watch.ready;
  if (!(await until(port, '/index.html', 'start', 60_000)))
    throw new Error(`${tool.name}: the service never answered`);
  return side;
}

async function save(side, i) {
  const content = `save-${i}-${randomBytes(4).toString('hex')}`;
  const t0 = performance.now();
  writeFileSync(join(side.dir, 'web/html/index.html'), content);
  if (!(await until(side.port, '/index.html', content, 10_000)))
    throw new Error(`${side.tool.name}: save ${i} never showed`);
  side.syncMs.push(performance.now() - t0);
}

async function rebuild(side, i) {
  const version = `v${i}-${randomBytes(3).toString('hex')}`;
  const t0 = performance.now();
  writeFileSync(join(side.dir, 'web/Dockerfile'), dockerfile(version));
  if (!(await until(side.port, '/version', version, 180_000)))
    throw new Error(`${side.tool.name}: rebuild ${i} never answered`);
  side.rebuildMs.push(performance.now() - t0);
}

async function cleanup(side) {
  side.watch?.child.kill('SIGINT');
  await sleep(500);
  if (side.watch && side.watch.child.exitCode === null) side.watch.child.kill('SIGKILL');
  const down = [
    'compose',
    '-p',
    side.project,
    '-f',
    join(side.dir, 'compose.yaml'),
    'down',
    '--rmi',
    'local',
    '-v',
  ];
  spawnSync('docker', down, { stdio: 'ignore' });
  // the images each rebuild left untagged still carry the project label
  const label = `label=com.docker.compose.project=${side.project}`;
  const left = spawnSync('docker', ['images', '-q', '--filter', label], { encoding: 'utf8' });
  const ids = [...new Set(left.stdout.split('\n').filter(Boolean))];
  if (ids.length) spawnSync('docker', ['rmi', '-f', ...ids], { stdio: 'ignore' });
  rmSync(side.dir, { recursive: true, force: true });
}

const tools = [
  {
    name: 'tscompose',
    cmd: process.execPath,
    args: (p) => [join(root, 'dist/cli.js'), '-p', p, 'watch'],
    ready: /^Watching /m,
  },
  {
    name: 'docker compose',
    upFirst: true,
    up: ['docker', 'compose'],
    cmd: 'docker',
    args: (p) => ['compose', '-p', p, 'watch', '--no-up'],
    ready: /Watch enabled/,
  },
];

// Both watches run at once, each on its own copy; saves alternate between them (who goes first
// alternates too), so both meet the same load of a shared machine.
const sides = [];
try {
  for (const tool of tools) sides.push(await prepare(tool));
  process.stderr.write(`${saves} saves and ${rebuilds} rebuilds each, alternating\n`);
  for (let i = 0; i < saves; i++) {
    for (const side of i % 2 ? [...sides].reverse() : sides) await save(side, i);
    await sleep(250 + Math.random() * 250);
  }
  for (let i = 1; i <= rebuilds; i++)
    for (const side of i % 2 ? sides : [...sides].reverse()) {
      await rebuild(side, i);
      await sleep(1000);
    }
} catch (error) {
  for (const side of sides)
    process.stderr.write(`--- ${side.tool.name}\n${side.log.join('').slice(-3000)}\n`);
  throw error;
} finally {
  for (const side of sides) await cleanup(side);
}
const results = sides.map((s) => ({ tool: s.tool.name, syncMs: s.syncMs, rebuildMs: s.rebuildMs }));

const row = (cells) => cells.map((c, i) => (i ? String(c).padStart(12) : String(c).padEnd(16))).join('');
const ms = (x) => `${Math.round(x)} ms`;
console.log(`watch latency, ${new Date().toISOString().slice(0, 10)}, ${saves} saves, ${rebuilds} rebuilds`);
console.log(row(['', 'sync p50', 'sync p95', 'sync max', 'rebuild p50', 'rebuild max']));
for (const r of results)
  console.log(
    row([
      r.tool,
      ms(pct(r.syncMs, 50)),
      ms(pct(r.syncMs, 95)),
      ms(Math.max(...r.syncMs)),
      ms(pct(r.rebuildMs, 50)),
      ms(Math.max(...r.rebuildMs)),
    ]),
  );
const [ts, dc] = results;
const ok =
  pct(ts.syncMs, 50) <= 300 &&
  pct(ts.syncMs, 95) <= 600 &&
  pct(ts.syncMs, 50) < pct(dc.syncMs, 50) &&
  pct(ts.rebuildMs, 50) <= pct(dc.rebuildMs, 50);
console.log(
  ok ? 'targets met' : 'TARGETS MISSED (p50 ≤ 300 ms, p95 ≤ 600 ms, below Compose; rebuild ≤ Compose)',
);
process.exitCode = ok ? 0 : 1;
