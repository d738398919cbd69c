import { afterAll, describe, expect, it } from 'vitest';
import { docker, projectResources, removeProject, uniqueProject } from '../support/docker.js';
import { projectDir, tscompose } from '../support/cli.js';
import { startEngineProxy } from '../support/engine-proxy.js';

// "network has active endpoints" does not make `down` fail: a container that is not the project's
// keeps the network, with a warning (as Compose does); endpoints the engine counts without a
// container are cleared and the removal tried again, and said.

const compose = `
services:
  app:
    image: debian:bookworm
    init: true
    command: ["sleep", "infinity"]
`;

describe('network leftovers', () => {
  const projects: string[] = [];
  const project = (what: string) => {
    const name = uniqueProject(what);
    projects.push(name);
    return name;
  };
  afterAll(async () => {
    // the foreign containers go first, so that the networks they held can go too
    for (const name of [...projects].reverse()) await removeProject(name);
  });

  it('down succeeds and keeps the network a foreign container still uses, naming it', async () => {
    const name = project('netforeign');
    const cwd = projectDir({ 'compose.yaml': compose });
    const up = await tscompose(['-p', name, 'up', '-d'], { cwd });
    expect(up.code, up.stderr).toBe(0);
    const other = project('netother');
    await docker(
      'run',
      '-d',
      '--init',
      '--name',
      `${other}-guest`,
      '--label',
      `com.docker.compose.project=${other}`,
      '--network',
      `${name}_default`,
      'debian:bookworm',
      'sleep',
      'infinity',
    );
    const down = await tscompose(['-p', name, '--progress', 'plain', 'down', '-t', '0'], { cwd });
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toContain(
      `network ${name}_default was kept: still in use by ${other}-guest, which this down did not remove; disconnect it (docker network disconnect ${name}_default ${other}-guest) and run down again`,
    );
    const left = await projectResources(name);
    expect(left.containers).toEqual([]);
    expect(left.networks).toHaveLength(1);
    // once the guest has gone, down finishes the job
    await docker('rm', '-f', `${other}-guest`);
    const again = await tscompose(['-p', name, 'down'], { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(await projectResources(name)).toEqual({ containers: [], networks: [], volumes: [] });
  });

  it('retries a removal the engine refused for endpoints no container holds, and says so', async () => {
    const name = project('netstale');
    const cwd = projectDir({ 'compose.yaml': compose });
    const up = await tscompose(['-p', name, 'up', '-d'], { cwd });
    expect(up.code, up.stderr).toBe(0);
    const proxy = await startEngineProxy();
    try {
      // what Docker 20.10 answers after concurrent removals left its endpoint count behind
      const refused = proxy.failOnce(
        /^DELETE \S+\/networks\//,
        403,
        `error while removing network: network ${name}_default id 0123456789ab has active endpoints`,
      );
      const down = await tscompose(['-p', name, '--progress', 'plain', 'down', '-t', '0'], {
        cwd,
        env: { DOCKER_HOST: proxy.dockerHost },
      });
      await refused;
      expect(down.code, down.stderr).toBe(0);
      expect(down.stderr).toContain(
        `network ${name}_default: the engine said it had active endpoints although no container was attached; removed it on a second try`,
      );
      expect(proxy.requests.filter((r) => r.startsWith('DELETE') && r.includes('/networks/'))).toHaveLength(
        2,
      );
      expect(await projectResources(name)).toEqual({ containers: [], networks: [], volumes: [] });
    } finally {
      await proxy.close();
    }
  });
});
