// Ctrl-C (SIGINT) and SIGTERM at moments spread over runs of `up`, `build` and `down`, sent by pid
// to the bundled CLI running as a child process, as a shell or a process manager sends them. Each
// interrupted run must end with exit 130 and no stack trace, and the next `up` must converge to the
// compose file: one container per service under its proper name (none left under the temporary
// `<id>_name` of a recreation), each with the current configuration, one network, one volume, no
// intermediate build container and no lock file left behind.
//
// The moments are fixed (a seeded generator over the length of a calibrated run), so a failure
// replays. They count from the spawn. At the two ends of a run Node, not tscompose, has the signal:
// in the first tenth of a second or so (more on a loaded machine) it is still loading tscompose,
// and in its last moments of exit it has given up the handlers. A signal there gets the default
// action and ends the process, whose outcome is settled: nothing done and nothing printed, or the
// run's last line already printed. That is allowed, and counted apart; the next up must converge
// all the same.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectLockPath } from '../../src/cli/project-lock.js';
import { projectDir, tscompose } from '../support/cli.js';
import { bundleCli, type BundledCli } from '../support/cli-bundle.js';
import { runCli, spawnCli, stackTrace, type ChildExit } from '../support/child-cli.js';
import { docker, removeProject, uniqueProject } from '../support/docker.js';

const project = uniqueProject('interrupts');
/** In the Dockerfile's RUN: the build's intermediate containers carry it in their command. */
const marker = `${project}-build-step`;

// db (health check, a named volume) <- app (built, waits for db healthy) <- web, on one network.
// ROUND changes db's and app's environment, so each round recreates them.
const compose = `
services:
  db:
    image: debian:bookworm
    init: true
    command: ["sh", "-c", "touch /tmp/ready && exec sleep infinity"]
    environment:
      ROUND: "\${ROUND:-0}"
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 100ms
      timeout: 2s
      retries: 50
    volumes: [data:/data]
    networks: [back]
  app:
    build: app
    init: true
    command: ["sleep", "infinity"]
    environment:
      ROUND: "\${ROUND:-0}"
    depends_on:
      db: { condition: service_healthy }
    networks: [back]
  web:
    image: debian:bookworm
    init: true
    command: ["sleep", "infinity"]
    depends_on: [app]
    networks: [back]
networks:
  back: {}
volumes:
  data: {}
`;

const lines = (s: string) => s.split('\n').filter(Boolean);
/** The last line of a run that finished: `2 recreated, 2 started, 1 unchanged  1.3s`, `built 1 image  2.0s`. */
const summary =
  /(created|recreated|started|unchanged|stopped|removed|nothing to do|built \d+ image).*\d+(\.\d+)?m?s$/;
const services = ['app', 'db', 'web'];

/** mulberry32: a small seeded generator, so that the moments are the same on every run. */
function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` moments in [from, to] ms, one in each equal slice of the span, at a seeded place in it. */
function moments(count: number, from: number, to: number, seed: number): number[] {
  const random = seeded(seed);
  const slice = (to - from) / count;
  return Array.from({ length: count }, (_, i) => Math.round(from + slice * (i + random())));
}

describe('interrupting up, build and down', () => {
  let cli: BundledCli;
  let cwd: string;
  let imageId: string;

  const args = (...rest: string[]) => ['-p', project, '--progress', 'plain', ...rest];
  const run = (rest: string[], round: number) =>
    runCli(cli, args(...rest), { cwd, env: { ROUND: String(round) } });

  /**
   * Starts the command, sends `signal` by pid after `delay` ms (twice, 40 ms apart, when `twice`:
   * a second Ctrl-C makes tscompose leave at once), counted from the first stderr line that
   * matches `from` when it is given, and returns how it ended.
   */
  async function interrupt(
    rest: string[],
    round: number,
    delay: number,
    signal: NodeJS.Signals,
    twice = false,
    from?: RegExp,
  ): Promise<ChildExit & { interrupted: boolean; beforeStart: boolean }> {
    const { child, exit, stderrMatch } = spawnCli(cli, args(...rest), { cwd, env: { ROUND: String(round) } });
    if (from) await stderrMatch(from);
    const send = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    const timers = [setTimeout(send, delay), ...(twice ? [setTimeout(send, delay + 40)] : [])];
    const result = await exit;
    for (const timer of timers) clearTimeout(timer);
    const what = `${rest.join(' ')} with ${signal}${twice ? ' twice' : ''} at ${delay} ms`;
    expect(result.stderr, `${what}: no stack trace`).not.toMatch(stackTrace);
    // Ended by the signal itself (Node's default action): allowed only at the two ends of the run,
    // where the outcome is settled: before tscompose started (nothing printed, nothing done), and in
    // Node's last moments of exit, after tscompose said how the run ended (its summary line, or
    // "interrupted" for the first of two signals), when Node has already given up its handlers.
    const last = lines(result.stderr).at(-1) ?? '';
    const byTheSignal = result.signal === signal;
    const beforeStart = byTheSignal && !result.stdout && !result.stderr;
    const whileLeaving = byTheSignal && (summary.test(last) || (twice && last === 'interrupted'));
    const output = `${what}\n--- stderr:\n${result.stderr}`;
    if (!beforeStart && !whileLeaving) expect(result.signal, output).toBeNull();
    // a signal that came once the work was done (or after the exit) interrupts nothing: the run
    // succeeded, and said so in its summary line
    if (result.code === 0) expect(last, `exit 0 without a summary: ${output}`).toMatch(summary);
    else if (result.signal === null) expect(result.code, output).toBe(130);
    const interrupted = result.code === 130 || (whileLeaving && last === 'interrupted');
    return { ...result, interrupted, beforeStart };
  }

  /** Runs the command to its end; returns how long it took from spawn to exit. */
  async function timed(rest: string[], round: number) {
    const result = await run(rest, round);
    expect(result.code, result.stderr).toBe(0);
    return result.ms;
  }

  /** The engine holds exactly what the compose file says, in round `round`, and nothing else. */
  async function expectConverged(round: number, context: string) {
    const byLabel = `label=com.docker.compose.project=${project}`;
    const containers = lines(
      await docker('ps', '-a', '--filter', byLabel, '--format', '{{.Names}} {{.State}}'),
    ).sort();
    // also by name: a container that lost its labels would still be a leak
    const named = lines(await docker('ps', '-a', '--format', '{{.Names}}', '--filter', `name=${project}`));
    expect({ context, containers, named: named.length }).toEqual({
      context,
      containers: services.map((s) => `${project}-${s}-1 running`),
      named: services.length,
    });
    const rounds = lines(
      await docker(
        'inspect',
        '--format',
        '{{range .Config.Env}}{{if eq (index (split . "=") 0) "ROUND"}}{{.}}{{end}}{{end}}',
        `${project}-db-1`,
        `${project}-app-1`,
      ),
    );
    expect({ context, rounds }).toEqual({ context, rounds: [`ROUND=${round}`, `ROUND=${round}`] });
    const attached = lines(
      await docker(
        'network',
        'inspect',
        '--format',
        '{{range .Containers}}{{println .Name}}{{end}}',
        `${project}_back`,
      ),
    ).sort();
    expect({ context, attached }).toEqual({ context, attached: services.map((s) => `${project}-${s}-1`) });
    expect({
      context,
      networks: lines(await docker('network', 'ls', '--format', '{{.Name}}', '--filter', `name=${project}`)),
      volumes: lines(await docker('volume', 'ls', '--format', '{{.Name}}', '--filter', `name=${project}`)),
      lock: existsSync(lockFile()),
    }).toEqual({ context, networks: [`${project}_back`], volumes: [`${project}_data`], lock: false });
  }

  const lockFile = () => projectLockPath(process.env.DOCKER_HOST || 'unix:///var/run/docker.sock', project);

  /**
   * `up -d` after an interruption: it succeeds and leaves the project as the file says. It runs in
   * this process (test/support/cli.ts), which spares a Node start per round.
   */
  async function converge(round: number, context: string) {
    const up = await tscompose(args('up', '-d'), { cwd, env: { ROUND: String(round) } });
    expect(up.code, `${context}: the next up\n${up.stderr}`).toBe(0);
    await expectConverged(round, context);
    return up;
  }

  beforeAll(async () => {
    cli = await bundleCli();
    cwd = projectDir({
      'compose.yaml': compose,
      'app/Dockerfile': `FROM debian:bookworm\nRUN sleep 1 && echo ${marker} > /built\n`,
    });
    // one image for every round: up finds it and builds nothing
    const built = await run(['build'], 0);
    expect(built.code, built.stderr).toBe(0);
    imageId = await docker('image', 'inspect', '--format', '{{.Id}}', `${project}-app`);
  });

  afterAll(async () => {
    await removeProject(project);
    await docker('rmi', '-f', `${project}-app`).catch(() => undefined);
    cli?.remove();
  });

  it('up stops with exit 130 at 20 moments (SIGINT, SIGTERM, a double Ctrl-C), and the next up converges', async () => {
    const first = await run(['up', '-d'], 0);
    expect(first.code, first.stderr).toBe(0);
    // a round that recreates db and app, waits for db's health and starts app: how long it takes
    const span = Math.max(await timed(['up', '-d'], 1), 800);
    const points = moments(20, 100, span, 10);
    const outcomes = { interrupted: 0, beforeStart: 0, finished: 0, temporaryNamesRepaired: 0 };
    for (const [i, delay] of points.entries()) {
      const round = i + 2;
      // every fourth round starts from nothing: creation is interrupted, not recreation
      if (i % 4 === 0) expect((await tscompose(args('down'), { cwd })).code).toBe(0);
      const signal = i % 2 === 0 ? 'SIGINT' : 'SIGTERM';
      const twice = i % 5 === 4;
      // every fourth round runs attached, where Ctrl-C also stops what was started
      const command = i % 4 === 3 ? ['up'] : ['up', '-d'];
      const result = await interrupt(command, round, delay, signal, twice);
      outcomes[result.interrupted ? 'interrupted' : result.beforeStart ? 'beforeStart' : 'finished']++;
      const next = await converge(
        round,
        `round ${round}: ${command.join(' ')}, ${signal}${twice ? ' twice' : ''} at ${delay} ms`,
      );
      if (next.stderr.includes('left by an interrupted recreation')) outcomes.temporaryNamesRepaired++;
    }
    // the moments fall inside the runs: most of them interrupt tscompose at work
    console.log(`up interrupted at 20 moments over ${span} ms:`, outcomes);
    expect(outcomes.interrupted).toBeGreaterThanOrEqual(10);
  });

  it('the next up repairs what a recreation killed halfway leaves under a temporary name', async () => {
    // a recreation creates the new container as `<old id>_<name>` (then connects it to its networks),
    // removes the old one, and renames the new one: SIGKILL (or a second Ctrl-C) between those
    // steps leaves one of the two states below, which are made here as tscompose would have
    await converge(300, 'before');
    const app = `${project}-app-1`;
    const labels = JSON.parse(await docker('inspect', '--format', '{{json .Config.Labels}}', app)) as Record<
      string,
      string
    >;
    const hash = (await tscompose(args('config', '--hash', 'app'), { cwd, env: { ROUND: '301' } })).stdout
      .split(' ')[1]!
      .trim();
    /** The new container of round 301, created under its temporary name and not yet connected. */
    const halfMade = async () => {
      const id = await docker('inspect', '--format', '{{.Id}}', app);
      const withHash = { ...labels, 'com.docker.compose.config-hash': hash };
      await docker(
        'create',
        '--name',
        `${id.slice(0, 12)}_${app}`,
        ...Object.entries(withHash).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
        '--env',
        'ROUND=301',
        '--init',
        `${project}-app`,
        'sleep',
        'infinity',
      );
    };
    // killed after creating the new container: both exist
    await halfMade();
    const both = await converge(301, 'the old container and the new one under its temporary name');
    expect(both.stderr).toMatch(/Container \w{12}_\S+-app-1\s+Removed/);
    // killed after removing the old one: only the new one, under its temporary name
    await converge(300, 'back to round 300');
    await halfMade();
    await docker('rm', '-f', app);
    const only = await converge(301, 'only the new container, under its temporary name');
    expect(only.stderr).toContain('left by an interrupted recreation');
  });

  it('build stops with exit 130, leaves no intermediate container and keeps the image, and up converges', async () => {
    const round = 100;
    // counted from the build's first step, so that every moment falls inside the build (RUN sleep 1)
    for (const [i, delay] of moments(3, 0, 900, 20).entries()) {
      const signal = i % 2 ? 'SIGTERM' : 'SIGINT';
      const result = await interrupt(['build', '--no-cache', 'app'], round, delay, signal, false, /Step 1\//);
      expect(result.interrupted, `build interrupted ${delay} ms after its first step`).toBe(true);
      // the engine cancels the build when the connection closes, and removes its step container
      let leftovers: string[] = [];
      for (let tries = 0; tries < 50; tries++) {
        leftovers = lines(await docker('ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Command}}')).filter(
          (line) => line.includes(marker),
        );
        if (!leftovers.length) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(leftovers, `build interrupted at ${delay} ms`).toEqual([]);
      expect(await docker('image', 'inspect', '--format', '{{.Id}}', `${project}-app`)).toBe(imageId);
    }
    await converge(round, 'after the interrupted builds');
  });

  it('down stops with exit 130 at 4 moments, and the next up converges', async () => {
    await converge(200, 'before down');
    // down of three containers and a network takes about a second: the moments fall inside it
    let interrupted = 0;
    for (const [i, delay] of moments(4, 100, 1000, 30).entries()) {
      const round = 201 + i;
      // the project runs (the previous round converged it), and down is interrupted
      if ((await interrupt(['down'], round, delay, i % 2 ? 'SIGTERM' : 'SIGINT')).interrupted) interrupted++;
      await converge(round, `round ${round}: down interrupted at ${delay} ms`);
    }
    expect(interrupted, 'downs interrupted at work').toBeGreaterThanOrEqual(2);
  });
});
