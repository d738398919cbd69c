import { afterAll, describe, expect, it } from 'vitest';
import { ComposeService } from '../../src/app/compose-service.js';
import type { ProgressEvent } from '../../src/core/events.js';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import { docker, projectResources, removeProject, uniqueProject } from '../support/docker.js';
import { loaded, sleeper, smallStack } from '../support/projects.js';

const engine = createDockerEngine({ env: {} });
const service = (events: ProgressEvent[]) =>
  new ComposeService({ engine, progress: (e) => events.push(e), version: '0.0.0-test' });
const ids = async (project: string) =>
  (await docker('ps', '-aq', '--no-trunc', '--filter', `label=com.docker.compose.project=${project}`))
    .split('\n')
    .sort();

describe('up and down through the app layer', () => {
  const project = uniqueProject('appup');
  const other = uniqueProject('appunhealthy');
  afterAll(async () => {
    engine.close();
    await removeProject(project);
    await removeProject(other);
  });

  it('brings a stack up in dependency order, then changes nothing, then recreates only what changed', async () => {
    const events: ProgressEvent[] = [];
    const stack = smallStack(project, 18_731);
    await service(events).up(loaded(stack), {});
    const order = events.flatMap((e) =>
      e.type === 'resource' && e.status === 'done' ? [`${e.text} ${e.id}`] : [],
    );
    expect(order.indexOf(`Healthy ${project}-db-1`)).toBeLessThan(order.indexOf(`Started ${project}-app-1`));
    const first = await ids(project);
    expect(first).toHaveLength(3);

    const again: ProgressEvent[] = [];
    const result = await service(again).up(loaded(stack), {});
    expect(result.changed).toBe(false);
    expect(await ids(project)).toEqual(first);

    stack.services.app!.environment = { DB_HOST: 'elsewhere' };
    const third: ProgressEvent[] = [];
    await service(third).up(loaded(stack), {});
    const recreated = third.filter((e) => e.type === 'resource' && e.text === 'Recreated');
    expect(recreated).toEqual([
      expect.objectContaining({ id: `${project}-app-1`, detail: 'environment.DB_HOST changed' }),
    ]);
    const now = await ids(project);
    expect(now.filter((id) => first.includes(id))).toHaveLength(2);

    await service([]).down(project, undefined, { volumes: true });
    expect(await projectResources(project)).toEqual({ containers: [], networks: [], volumes: [] });
  });

  it('fails up within the retry budget of an unhealthy dependency, with the check output', async () => {
    const stack = {
      name: other,
      services: {
        db: sleeper({
          name: 'db',
          healthcheck: {
            test: ['CMD-SHELL', 'echo not ready yet; exit 1'],
            interval: '1s',
            timeout: '1s',
            retries: 2,
          },
        }),
        app: sleeper({
          name: 'app',
          depends_on: { db: { condition: 'service_healthy' as const, required: true } },
        }),
      },
    };
    const startedAt = Date.now();
    const error = await service([])
      .up(loaded(stack), {})
      .catch((e: unknown) => e);
    expect(Date.now() - startedAt).toBeLessThan(8_000);
    expect(error).toMatchObject({
      code: 'dependency.unhealthy',
      message: `dependency failed to start: container ${other}-db-1 is unhealthy`,
    });
    expect((error as { details: string[] }).details.join('\n')).toContain('not ready yet');
    expect(await docker('inspect', '-f', '{{.State.Status}}', `${other}-app-1`)).toBe('created');
  });
});
