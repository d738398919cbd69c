import { afterAll, describe, expect, it } from 'vitest';
import { docker, projectResources, removeProject, uniqueProject } from '../support/docker.js';

// The foundation's promise: an engine answers and debian:bookworm runs, with no registry.
describe('engine and offline base image', () => {
  const project = uniqueProject('foundation');
  afterAll(() => removeProject(project));

  it('runs a debian:bookworm container that sees bookworm', async () => {
    const out = await docker(
      'run',
      '--rm',
      '--label',
      `com.docker.compose.project=${project}`,
      'debian:bookworm',
      'sh',
      '-c',
      '. /etc/os-release && echo $VERSION_CODENAME',
    );
    expect(out).toBe('bookworm');
    expect(await docker('image', 'inspect', '-f', '{{.Id}}', 'debian:12')).toBe(
      await docker('image', 'inspect', '-f', '{{.Id}}', 'debian:bookworm'),
    );
  });

  it('gives containers on a user network name resolution of each other', async () => {
    const net = `${project}_net`;
    await docker('network', 'create', '--label', `com.docker.compose.project=${project}`, net);
    await docker(
      'run',
      '-d',
      '--name',
      `${project}-a`,
      '--network',
      net,
      '--network-alias',
      'alpha',
      '--label',
      `com.docker.compose.project=${project}`,
      'debian:bookworm',
      'sleep',
      '30',
    );
    const out = await docker(
      'run',
      '--rm',
      '--network',
      net,
      '--label',
      `com.docker.compose.project=${project}`,
      'debian:bookworm',
      'getent',
      'hosts',
      'alpha',
    );
    expect(out).toMatch(/^\d+\.\d+\.\d+\.\d+\s+alpha/);
    await removeProject(project);
    expect(await projectResources(project)).toEqual({ containers: [], networks: [], volumes: [] });
  });
});
