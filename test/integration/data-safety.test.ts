// Data safety as a property: random sequences of up, down, a config edit (recreation), restart,
// `up --force-recreate` and `down -v`, run through the CLI against the real engine, with a model of
// what must survive each step:
// - a file written into a named volume is there after every step until `down -v`, the only command
//   that removes the volume;
// - a file written into an anonymous volume survives recreation (edit, --force-recreate) and restart;
//   after `down` the next container starts with a fresh one, as with Compose;
// - host data, bind-mounted directly or through a bind-type named volume (`driver_opts: device`, as the
//   Inception stack keeps /home/<login>/data), is never removed, `down -v` included.
// Bounded: a fixed seed (TSCOMPOSE_PROPERTY_SEED replays another), 3 runs of 6 steps (plus the first up and the last down -v).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { projectDir, tscompose } from '../support/cli.js';
import { docker, removeProject, uniqueProject } from '../support/docker.js';

interface Model {
  /** The container exists (up ran since the last down). */
  running: boolean;
  /** What the named volume's file holds, when one was written since the last `down -v`. */
  named?: string;
  /** What the anonymous volume's file holds, when one was written into the current container. */
  anon?: string;
  edits: number;
}

interface Real {
  project: string;
  cwd: string;
  bindDir: string;
  deviceDir: string;
  writes: number;
  /** Anonymous volumes seen: `down` leaves them (as Compose does), the test removes them. */
  anonymous: Set<string>;
}

const compose = (real: Real, edit: number) => `
services:
  store:
    image: debian:bookworm
    init: true
    command: ["sleep", "infinity"]
    environment:
      EDIT: "${edit}"
    volumes:
      - named:/named
      - /anon
      - ${real.bindDir}:/bind
      - device:/device
volumes:
  named: {}
  device:
    driver: local
    driver_opts: { type: none, o: bind, device: ${real.deviceDir} }
`;

const hostFiles = (real: Real) => [join(real.bindDir, 'host.txt'), join(real.deviceDir, 'host.txt')];

async function cli(real: Real, ...args: string[]) {
  return tscompose(['-p', real.project, '--progress', 'quiet', ...args], { cwd: real.cwd });
}

/** The files as the container sees them (`-` for a missing one). */
async function seen(real: Real) {
  const out = await docker(
    'exec',
    `${real.project}-store-1`,
    'sh',
    '-c',
    'for f in /named/data /anon/data /bind/host.txt /device/host.txt; do cat $f 2>/dev/null || echo -; done',
  );
  const [named, anon, bind, device] = out.split('\n');
  return { named, anon, bind, device };
}

async function volumeExists(real: Real) {
  const names = await docker('volume', 'ls', '-q', '--filter', `name=${real.project}_named`);
  return names.split('\n').includes(`${real.project}_named`);
}

/** After every step: the host's data is intact, the named volume is there unless `down -v` ran. */
async function checkAlways(model: Model, real: Real, step: string) {
  for (const file of hostFiles(real))
    expect(readFileSync(file, 'utf8'), `${step}: ${file}`).toBe('host data\n');
  if (model.named !== undefined) expect(await volumeExists(real), `${step}: named volume`).toBe(true);
}

/** With the container running: what it sees matches the model; then the missing files are written. */
async function checkRunning(model: Model, real: Real, step: string) {
  const anonymous = await docker(
    'inspect',
    '--format',
    '{{range .Mounts}}{{if eq .Destination "/anon"}}{{.Name}}{{end}}{{end}}',
    `${real.project}-store-1`,
  );
  if (anonymous) real.anonymous.add(anonymous);
  const files = await seen(real);
  expect(files, step).toEqual({
    named: model.named ?? '-',
    anon: model.anon ?? '-',
    bind: 'host data',
    device: 'host data',
  });
  if (model.named === undefined || model.anon === undefined) {
    const value = `written ${++real.writes}`;
    const targets = [
      model.named === undefined ? '/named/data' : '',
      model.anon === undefined ? '/anon/data' : '',
    ]
      .filter(Boolean)
      .map((f) => `echo '${value}' > ${f}`)
      .join(' && ');
    await docker('exec', `${real.project}-store-1`, 'sh', '-c', targets);
    model.named ??= value;
    model.anon ??= value;
  }
}

interface Step {
  run(model: Model, real: Real): Promise<void>;
  toString(): string;
}

const containerId = (real: Real) =>
  docker('ps', '-aq', '--no-trunc', '--filter', `name=^${real.project}-store-1$`);

/**
 * A step: runs the command, updates the model, checks what must hold. `recreates`: with a container
 * there, the step replaces it (so that what survives it survived a recreation).
 */
function step(
  name: string,
  args: (model: Model) => string[],
  after: (model: Model) => void,
  extra: { before?: (model: Model, real: Real) => void; recreates?: boolean } = {},
): () => Step {
  return () => ({
    async run(model, real) {
      extra.before?.(model, real);
      const wasRunning = model.running;
      const before = wasRunning ? await containerId(real) : '';
      const result = await cli(real, ...args(model));
      if (name === 'restart' && !wasRunning) {
        // nothing to restart: an error that names the project, and nothing is touched
        expect(result.code, name).toBe(1);
        expect(result.stderr).toContain('no containers found');
      } else expect(result.code, `${name}\n${result.stderr}`).toBe(0);
      after(model);
      if (wasRunning && model.running)
        expect((await containerId(real)) !== before, `${name}: container replaced`).toBe(
          extra.recreates === true,
        );
      await checkAlways(model, real, name);
      if (model.running) await checkRunning(model, real, name);
    },
    toString: () => name,
  });
}

const up = step(
  'up -d',
  () => ['up', '-d'],
  (m) => {
    m.running = true;
  },
);
const down = step(
  'down',
  () => ['down'],
  (m) => {
    m.running = false;
    m.anon = undefined;
  },
);
const downVolumes = step(
  'down -v',
  () => ['down', '-v'],
  (m) => {
    m.running = false;
    m.anon = undefined;
    m.named = undefined;
  },
);
const edit = step(
  'edit the environment, up -d (recreates)',
  () => ['up', '-d'],
  (m) => {
    m.running = true;
  },
  {
    before: (m, real) => writeFileSync(join(real.cwd, 'compose.yaml'), compose(real, ++m.edits)),
    recreates: true,
  },
);
const restart = step(
  'restart',
  () => ['restart'],
  () => undefined,
);
const forceRecreate = step(
  'up -d --force-recreate',
  () => ['up', '-d', '--force-recreate'],
  (m) => {
    m.running = true;
  },
  { recreates: true },
);

describe('data safety', () => {
  const dirs: string[] = [];
  const projects: string[] = [];
  afterAll(async () => {
    for (const project of projects) await removeProject(project);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('no sequence of up, down, edit, restart and --force-recreate loses volume data; only down -v removes the named volume; host data stays', async () => {
    const seed = Number(process.env.TSCOMPOSE_PROPERTY_SEED ?? 20261204);
    // each run: every kind of step once, in a random order (what comes before each step is what varies)
    const commands = fc.shuffledSubarray([up, down, downVolumes, edit, restart, forceRecreate], {
      minLength: 6,
      maxLength: 6,
    });
    await fc.assert(
      fc.asyncProperty(commands, async (steps) => {
        const project = uniqueProject('datasafety');
        projects.push(project);
        const bindDir = mkdtempSync(join(tmpdir(), 'tsc-bind-'));
        const deviceDir = mkdtempSync(join(tmpdir(), 'tsc-device-'));
        dirs.push(bindDir, deviceDir);
        const real: Real = {
          project,
          cwd: projectDir({}),
          bindDir,
          deviceDir,
          writes: 0,
          anonymous: new Set(),
        };
        for (const file of hostFiles(real)) writeFileSync(file, 'host data\n');
        writeFileSync(join(real.cwd, 'compose.yaml'), compose(real, 0));
        try {
          // every sequence starts from a running project with data in both volumes
          const model: Model = { running: false, edits: 0 };
          await up().run(model, real);
          const sequence = steps.map((s) => s());
          console.log(`data safety: ${sequence.join(', ')}`);
          for (const s of sequence) await s.run(model, real);
          // and ends with the one command that removes the named volume
          await downVolumes().run(model, real);
          expect(await volumeExists(real)).toBe(false);
        } finally {
          await removeProject(project);
          for (const volume of real.anonymous) await docker('volume', 'rm', '-f', volume).catch(() => '');
        }
      }),
      { numRuns: 3, seed, endOnFailure: true },
    );
  });
});
