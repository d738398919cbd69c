// Test helpers that talk to the engine through the docker CLI: an independent witness of what
// tscompose did, and the cleanup that runs even when a test fails.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll } from 'vitest';

const execFileAsync = promisify(execFile);

export async function docker(...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('docker', args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

/** `docker ARGS` with INPUT on its standard input (`docker build -` with a Dockerfile, say). */
export async function dockerWithInput(
  input: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<string> {
  const running = execFileAsync('docker', args, {
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...env },
  });
  running.child.stdin?.end(input);
  const { stdout } = await running;
  return stdout.trim();
}

/** A project name no other test (or earlier run) uses: `tsc-<what>-<random>`. */
export function uniqueProject(what: string): string {
  return `tsc-${what.toLowerCase().replace(/[^a-z0-9]+/g, '')}-${randomBytes(4).toString('hex')}`;
}

const lines = (s: string) => s.split('\n').filter(Boolean);

/** Everything the engine holds for a Compose project, found by its labels. */
export async function projectResources(project: string) {
  const filter = `label=com.docker.compose.project=${project}`;
  return {
    containers: lines(await docker('ps', '-aq', '--filter', filter)),
    networks: lines(await docker('network', 'ls', '-q', '--filter', filter)),
    volumes: lines(await docker('volume', 'ls', '-q', '--filter', filter)),
  };
}

/**
 * Removes every container, network and volume of a project, and the images tscompose built for it
 * (they carry the project label, also those a rebuild left untagged), for afterEach/afterAll.
 */
export async function removeProject(project: string): Promise<void> {
  const { containers, networks, volumes } = await projectResources(project);
  if (containers.length) await docker('rm', '-f', '-v', ...containers);
  if (networks.length) await docker('network', 'rm', ...networks).catch(() => undefined);
  if (volumes.length) await docker('volume', 'rm', '-f', ...volumes);
  await removeProjectImages(project);
}

/** The images labelled with the project; a base goes once the images built FROM it are gone, hence rounds. */
export async function removeProjectImages(project: string): Promise<void> {
  const labelled = async () =>
    new Set(lines(await docker('images', '-q', '--filter', `label=com.docker.compose.project=${project}`)));
  for (let round = 0, ids = await labelled(); ids.size > 0 && round < 5; round++, ids = await labelled())
    for (const id of ids) await docker('rmi', '-f', id).catch(() => undefined);
}

/**
 * Unique project names for the tests of one describe block (or file), each removed with
 * removeProject after all of them, failed or not. Call it where hooks may be registered.
 */
export function projectNames(): (what: string) => string {
  const names: string[] = [];
  afterAll(async () => {
    for (const name of names) await removeProject(name);
  });
  return (what) => {
    const name = uniqueProject(what);
    names.push(name);
    return name;
  };
}

/** `<name> <state>` of the project's running containers, sorted: what a converged project shows. */
export async function runningContainers(project: string): Promise<string[]> {
  const out = await docker(
    'ps',
    '--filter',
    `label=com.docker.compose.project=${project}`,
    '--format',
    '{{.Names}} {{.State}}',
  );
  return lines(out).sort();
}
