import { afterAll, describe, expect, it } from 'vitest';
import { projectDir, tscompose } from '../support/cli.js';
import { docker, removeProject, uniqueProject } from '../support/docker.js';

// `config --hash` prints the hash `up` stores as com.docker.compose.config-hash: the label is how up
// finds a changed service, so a user comparing the two must see the same value
describe('config --hash', () => {
  const project = uniqueProject('cfghash');
  afterAll(() => removeProject(project));

  it('equals the config-hash label of the containers create made, deploy and env_file included', async () => {
    const cwd = projectDir({
      'compose.yaml': `services:
  limited:
    image: debian:bookworm
    command: [sleep, infinity]
    deploy:
      resources:
        limits: {cpus: '0.5', memory: 64m}
  configured:
    image: debian:bookworm
    command: [sleep, infinity]
    env_file: app.env
    deploy:
      restart_policy: {condition: on-failure}
`,
      'app.env': 'GREETING=hello\n',
    });
    const created = await tscompose(['-p', project, '--progress', 'quiet', 'create'], { cwd });
    expect(created).toMatchObject({ code: 0 });
    const hashes = await tscompose(['-p', project, 'config', '--hash', '*'], { cwd });
    expect(hashes.code).toBe(0);
    const labels = await docker(
      'ps',
      '-a',
      '--filter',
      `label=com.docker.compose.project=${project}`,
      '--format',
      '{{.Label "com.docker.compose.service"}} {{.Label "com.docker.compose.config-hash"}}',
    );
    const printed = hashes.stdout.trim().split('\n');
    expect(printed).toHaveLength(2);
    expect(printed).toEqual(labels.split('\n').sort());
    expect(printed[0]).toMatch(/^configured [0-9a-f]{64}$/);
  });
});
