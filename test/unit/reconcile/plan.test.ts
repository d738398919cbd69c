import { describe, expect, it } from 'vitest';
import { isTsComposeError } from '../../../src/core/errors.js';
import { planDown } from '../../../src/reconcile/teardown.js';
import { planImages, planUp } from '../../../src/reconcile/plan.js';
import { renderPlan } from '../../../src/reconcile/render.js';
import { afterPlan, emptyState, hash, labels, smallProject } from './fixtures.js';

describe('planUp', () => {
  it('creates everything on an empty engine, starting in dependency order with health waits', () => {
    const project = smallProject();
    expect(renderPlan(planUp(project, emptyState(project), { labels, hash }))).toBe(
      [
        'project small: 9 operations',
        '1  create network  small_back',
        '2  create volume   small_dbdata',
        '3  create          small-db-1     after 1,2',
        '4  create          small-app-1    after 1',
        '5  create          small-proxy-1  after 1',
        '6  start           small-db-1     after 1,2,3',
        '7  wait healthy    small-db-1     after 6        for app',
        '8  start           small-app-1    after 1,4,6,7',
        '9  start           small-proxy-1  after 1,5,8',
        '',
      ].join('\n'),
    );
  });

  it('changes nothing on a second run', () => {
    const project = smallProject();
    const first = planUp(project, emptyState(project), { labels, hash });
    const plan = planUp(project, afterPlan(emptyState(project), first), { labels, hash });
    expect(plan.operations.every((op) => op.kind === 'keep-container')).toBe(true);
    expect(renderPlan(plan)).toBe(
      [
        'project small: nothing to do',
        '1  running  small-db-1     unchanged',
        '2  running  small-app-1    unchanged',
        '3  running  small-proxy-1  unchanged',
        '',
      ].join('\n'),
    );
  });

  it('recreates only the service whose environment changed, and says which variable', () => {
    const project = smallProject();
    const running = afterPlan(emptyState(project), planUp(project, emptyState(project), { labels, hash }));
    project.services.app!.environment = { DB_HOST: 'db2' };
    expect(renderPlan(planUp(project, running, { labels, hash }))).toBe(
      [
        'project small: 3 operations',
        '1  running       small-db-1                unchanged',
        '2  recreate      small-app-1               environment.DB_HOST changed',
        '3  running       small-proxy-1             unchanged',
        '4  wait healthy  small-db-1                for app',
        '5  start         small-app-1    after 2,4',
        '',
      ].join('\n'),
    );
  });

  it('cleans up after a recreation that was interrupted half-way', () => {
    const project = smallProject();
    const running = afterPlan(emptyState(project), planUp(project, emptyState(project), { labels, hash }));
    const app = running.containers.find((c) => c.name === 'small-app-1')!;
    // the new container was created under its temporary name; the old one still runs
    project.services.app!.environment = { DB_HOST: 'db2' };
    const leftover = {
      ...app,
      id: 'new',
      name: `${app.id.slice(0, 12)}_small-app-1`,
      state: 'created' as const,
    };
    const both = { ...running, containers: [...running.containers, leftover] };
    const operations = planUp(project, both, { labels, hash }).operations;
    const ops = operations.map((op) => op.id);
    expect(ops).toContain('recreate:small-app-1');
    expect(ops).toContain(`remove:${leftover.name}`);
    // the leftover goes first: the recreation uses its temporary name again
    expect(operations.find((op) => op.id === 'recreate:small-app-1')?.after).toContain(
      `remove:${leftover.name}`,
    );
    // only the renamed-to-be container is left: it is recreated under its proper name
    const alone = { ...running, containers: [...running.containers.filter((c) => c !== app), leftover] };
    const plan = planUp(project, alone, { labels, hash });
    const recreate = plan.operations.find((op) => op.kind === 'recreate-container');
    expect(recreate?.kind === 'recreate-container' && recreate.reasons.at(-1)).toBe(
      `named ${leftover.name}, left by an interrupted recreation`,
    );
  });

  it('recreates when the image changed, never with --no-recreate, always with --force-recreate', () => {
    const project = smallProject();
    const running = afterPlan(emptyState(project), planUp(project, emptyState(project), { labels, hash }));
    running.images['debian:bookworm'] = {
      ...running.images['debian:bookworm']!,
      id: 'sha256:2222222222222222',
    };
    const kinds = (options: object) =>
      planUp(project, running, { labels, hash, ...options })
        .operations.filter((op) => op.kind === 'recreate-container')
        .map((op) => (op.kind === 'recreate-container' ? op.reasons.join('; ') : ''));
    expect(kinds({})).toEqual([
      'image changed (111111111111 → 222222222222)',
      'image changed (111111111111 → 222222222222)',
      'image changed (111111111111 → 222222222222)',
    ]);
    expect(kinds({ noRecreate: true })).toEqual([]);
    running.images['debian:bookworm'] = {
      ...running.images['debian:bookworm']!,
      id: running.containers[0]!.imageId,
    };
    expect(kinds({ forceRecreate: true })).toHaveLength(3);
  });

  it('scales up and down by container number', () => {
    const project = smallProject();
    const running = afterPlan(emptyState(project), planUp(project, emptyState(project), { labels, hash }));
    const up = planUp(project, running, { labels, hash, scale: { app: 3 } });
    expect(up.operations.filter((op) => op.kind === 'create-container').map((op) => op.id)).toEqual([
      'create:small-app-2',
      'create:small-app-3',
    ]);
    const down = planUp(project, afterPlan(running, up), { labels, hash, scale: { app: 1 } });
    expect(down.operations.filter((op) => op.kind === 'remove-container').map((op) => op.id)).toEqual([
      'remove:small-app-2',
      'remove:small-app-3',
    ]);
  });

  it('brings up the dependencies of a named service, or only the service with --no-deps', () => {
    const project = smallProject();
    const names = (options: object) =>
      planUp(project, emptyState(project), { labels, hash, ...options })
        .operations.filter((op) => op.kind === 'create-container')
        .map((op) => op.id);
    expect(names({ services: ['app'] })).toEqual(['create:small-db-1', 'create:small-app-1']);
    expect(names({ services: ['app'], noDeps: true })).toEqual(['create:small-app-1']);
  });

  it('waits for every service with --wait, once per container', () => {
    const project = smallProject();
    const plan = planUp(project, emptyState(project), { labels, hash, wait: true });
    // app waits for db to be healthy already: that is db's one wait
    expect(plan.operations.filter((op) => op.kind === 'wait-container').map((op) => op.id)).toEqual([
      'wait:small-db-1:healthy',
      'wait:small-app-1:ready',
      'wait:small-proxy-1:ready',
    ]);
  });

  it('warns about orphans, and removes them with --remove-orphans', () => {
    const project = smallProject();
    const running = afterPlan(emptyState(project), planUp(project, emptyState(project), { labels, hash }));
    delete project.services.proxy;
    expect(planUp(project, running, { labels, hash }).warnings[0]).toContain(
      'Found orphan containers (small-proxy-1)',
    );
    const plan = planUp(project, running, { labels, hash, removeOrphans: true });
    expect(plan.operations.filter((op) => op.kind !== 'keep-container').map((op) => op.id)).toEqual([
      'stop:small-proxy-1',
      'remove:small-proxy-1',
    ]);
  });

  it('stops a paused orphan before removing it, as down does, and only removes an exited one', () => {
    const project = smallProject();
    const running = afterPlan(emptyState(project), planUp(project, emptyState(project), { labels, hash }));
    delete project.services.proxy;
    delete project.services.app;
    const state = {
      ...running,
      containers: running.containers.map((c) =>
        c.name === 'small-proxy-1'
          ? { ...c, state: 'paused' as const }
          : c.name === 'small-app-1'
            ? { ...c, state: 'exited' as const }
            : c,
      ),
    };
    const plan = planUp(project, state, { labels, hash, removeOrphans: true });
    expect(plan.operations.filter((op) => op.kind !== 'keep-container').map((op) => op.id)).toEqual([
      'remove:small-app-1',
      'stop:small-proxy-1',
      'remove:small-proxy-1',
    ]);
    expect(planDown(state, { project, removeOrphans: true }).operations.map((op) => op.id)).toContain(
      'stop:small-proxy-1',
    );
  });

  it('refuses a bind volume whose host path is relative or missing, before anything is created', () => {
    const project = smallProject();
    project.volumes = {
      dbdata: { driver: 'local', driver_opts: { type: 'none', o: 'bind', device: '/home/me/data' } },
    };
    const state = { ...emptyState(project), missingPaths: ['/home/me/data'] };
    const error = (() => {
      try {
        planUp(project, state, { labels, hash });
      } catch (e) {
        return e;
      }
    })();
    expect(isTsComposeError(error) && [error.code, error.message]).toEqual([
      'volume.bind-missing',
      'volume "dbdata" binds /home/me/data, which does not exist',
    ]);
    project.volumes.dbdata!.driver_opts!.device = 'data';
    expect(() => planUp(project, emptyState(project), { labels, hash })).toThrow(
      'binds the relative path "data',
    );
  });

  it('restarts dependents with depends_on.restart when their dependency is recreated', () => {
    const project = smallProject();
    project.services.app!.depends_on = {
      db: { condition: 'service_healthy', required: true, restart: true },
    };
    const running = afterPlan(emptyState(project), planUp(project, emptyState(project), { labels, hash }));
    project.services.db!.environment = { X: '1' };
    const ids = planUp(project, running, { labels, hash }).operations.map((op) => op.id);
    expect(ids).toContain('restart:small-app-1');
    expect(ids).not.toContain('keep:small-app-1');
  });
});

describe('planImages', () => {
  it('builds missing images of services with a build section and pulls the others', () => {
    const project = smallProject();
    project.services.app = {
      ...project.services.app!,
      image: undefined,
      build: { context: '/work/small/app' },
    };
    const state = { ...emptyState(project), images: {} };
    expect(planImages(project, state, {}).operations.map((op) => op.id)).toEqual([
      'pull:debian:bookworm',
      'build:app',
    ]);
  });
});

describe('planDown', () => {
  it('stops dependents first, removes each container once stopped, then networks and volumes', () => {
    const project = smallProject();
    const running = afterPlan(emptyState(project), planUp(project, emptyState(project), { labels, hash }));
    expect(renderPlan(planDown(running, { volumes: true }))).toBe(
      [
        'project small: 8 operations',
        '1  stop            small-proxy-1',
        '2  stop            small-app-1    after 1',
        '3  stop            small-db-1     after 2',
        '4  remove          small-app-1    after 2      with its anonymous volumes',
        '5  remove          small-db-1     after 3      with its anonymous volumes',
        '6  remove          small-proxy-1  after 1      with its anonymous volumes',
        '7  remove network  small_back     after 4,5,6',
        '8  remove volume   small_dbdata   after 4,5,6',
        '',
      ].join('\n'),
    );
  });
});
