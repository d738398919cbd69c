import { describe, expect, it } from 'vitest';
import { isTsComposeError } from '../../../src/core/errors.js';
import type { StackObserved } from '../../../src/swarm/observe.js';
import { contentName, planDeploy } from '../../../src/swarm/plan.js';
import { renderDeployPlan } from '../../../src/swarm/render.js';
import { planUndeploy } from '../../../src/swarm/teardown.js';
import type { Project } from '../../../src/compose/model.js';
import { afterDeploy, contents, emptySwarm, smallProject } from './fixtures.js';

/** The plan's lines without the warnings (they are checked on their own). */
const operations = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('warning:'));

const deployed = (project: Project, state = emptySwarm()): StackObserved =>
  afterDeploy(state, planDeploy(project, state, { contents }));

function failure(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (isTsComposeError(error)) return error;
    throw error;
  }
  throw new Error('expected a TsComposeError');
}

describe('planDeploy', () => {
  it('creates networks, content-addressed secrets and services in dependency order, with health waits', () => {
    const text = renderDeployPlan(planDeploy(smallProject(), emptySwarm(), { contents }));
    const secret = contentName('small_db_password', contents.secrets.db_password).name;
    expect(secret).toMatch(/^small_db_password-[0-9a-f]{10}$/);
    expect(operations(text)).toEqual([
      'stack small: 7 operations',
      `1  create network  small_front                                overlay`,
      `2  create secret   ${secret}`,
      '3  create service  small_db                      after 1,2    1 replica',
      '4  wait healthy    small_db                      after 3      for app',
      '5  create service  small_app                     after 1,2,4  1 replica',
      '6  wait healthy    small_app                     after 5      for proxy',
      '7  create service  small_proxy                   after 1,6    1 replica',
    ]);
  });

  it('lists what Swarm cannot honour, per service, before anything is deployed', () => {
    const project = smallProject();
    Object.assign(project.services.proxy!, {
      container_name: 'proxy',
      privileged: true,
      ports: [{ mode: 'ingress', host_ip: '127.0.0.1', target: 443, published: '443', protocol: 'tcp' }],
    });
    const { warnings } = planDeploy(project, emptySwarm(), { contents });
    expect(warnings).toEqual([
      'service db: build: Swarm builds nothing: the image is built here, and this node runs it by its id',
      'service app: build: Swarm builds nothing: the image is built here, and this node runs it by its id',
      'service app: depends_on: Swarm starts and restarts services in any order; tscompose deploys db first and waits until the tasks of db are healthy, but only during this deploy',
      'service proxy: build: Swarm builds nothing: the image is built here, and this node runs it by its id',
      'service proxy: depends_on: Swarm starts and restarts services in any order; tscompose deploys app first and waits until the tasks of app are healthy, but only during this deploy',
      'service proxy: container_name: Swarm names task containers <stack>_<service>.<slot>.<task id> (ignored)',
      'service proxy: privileged: Swarm services cannot run privileged containers (ignored)',
      'service proxy: ports[0].host_ip: Swarm publishes on every address of the node, not only 127.0.0.1 (ignored)',
      'network front: driver: bridge connects one machine only; Swarm services need overlay, so it is created as overlay',
    ]);
    expect(renderDeployPlan(planDeploy(project, emptySwarm(), { contents }))).toContain(
      '\nwarning: service proxy: privileged: Swarm services cannot run privileged containers (ignored)\n',
    );
  });

  it('changes nothing on a second deploy, though the engine stores ids and defaults', () => {
    const project = smallProject();
    const plan = planDeploy(project, deployed(project), { contents });
    expect(plan.operations.map((op) => op.kind)).toEqual(['keep-service', 'keep-service', 'keep-service']);
    expect(operations(renderDeployPlan(plan))).toEqual([
      'stack small: nothing to do',
      '1  keep service  small_db     unchanged, 1/1',
      '2  keep service  small_app    unchanged, 1/1',
      '3  keep service  small_proxy  unchanged, 1/1',
    ]);
  });

  it('updates only the edited service, says which variable changed, and waits around it', () => {
    const project = smallProject();
    const state = deployed(project);
    project.services.app!.environment = { DB_HOST: 'db', TITLE: 'Bigger' };
    expect(operations(renderDeployPlan(planDeploy(project, state, { contents })))).toEqual([
      'stack small: 3 operations',
      '1  keep service    small_db              unchanged, 1/1',
      '2  keep service    small_proxy           unchanged, 1/1',
      '3  wait healthy    small_db     after 1  for app',
      '4  update service  small_app    after 3  environment.TITLE changed',
      '5  wait healthy    small_app    after 4  for proxy',
    ]);
  });

  it('scales a service without replacing its tasks, and brings back a service scaled by hand', () => {
    const project = smallProject();
    const state = deployed(project);
    project.services.app!.deploy = { replicas: 2 };
    const plan = planDeploy(project, state, { contents });
    const update = plan.operations.find((op) => op.kind === 'update-service');
    expect(update).toMatchObject({
      service: 'app',
      scale: { from: 1, to: 2 },
      reasons: ['deploy.replicas 1 → 2'],
    });
    expect(renderDeployPlan(plan)).toContain('4  scale service  small_app    after 3  1 → 2 replicas');

    const byHand = deployed(smallProject());
    const app = byHand.services.find((s) => s.spec.Name === 'small_app')!;
    app.spec.Mode = { Replicated: { Replicas: 5 } };
    expect(
      planDeploy(smallProject(), byHand, { contents }).operations.find((op) => op.kind === 'update-service'),
    ).toMatchObject({
      service: 'app',
      scale: { from: 5, to: 1 },
    });
  });

  it('rolls the services that mount a secret to its new content, then removes the old one', () => {
    const project = smallProject();
    const state = deployed(project);
    const before = contentName('small_db_password', contents.secrets.db_password).name;
    const changed = { secrets: { db_password: Buffer.from('n3w') }, configs: {} };
    const after = contentName('small_db_password', changed.secrets.db_password).name;
    expect(operations(renderDeployPlan(planDeploy(project, state, { contents: changed })))).toEqual([
      'stack small: 6 operations',
      `1  create secret   ${after}`,
      '2  update service  small_db                      after 1      secrets.db_password content changed',
      '3  keep service    small_proxy                                unchanged, 1/1',
      '4  wait healthy    small_db                      after 2      for app',
      '5  update service  small_app                     after 1,4    secrets.db_password content changed',
      '6  wait healthy    small_app                     after 5      for proxy',
      `7  remove secret   ${before}  after 2,3,5  no service mounts it`,
    ]);
  });

  it('updates a service whose image was rebuilt: it runs images by id', () => {
    const project = smallProject();
    const state = deployed(project);
    state.images['app:1.0'] = { id: `sha256:${'4'.repeat(64)}`, repoDigests: [] };
    const update = planDeploy(project, state, { contents }).operations.find(
      (op) => op.kind === 'update-service',
    );
    expect(update).toMatchObject({
      service: 'app',
      reasons: ['image changed (222222222222 → 444444444444)'],
    });
  });

  it('keeps services the file no longer has, with a warning, and removes them with --prune', () => {
    const project = smallProject();
    const state = deployed(project);
    delete project.services.proxy;
    const kept = planDeploy(project, state, { contents });
    expect(kept.operations.some((op) => op.kind === 'remove-service')).toBe(false);
    expect(kept.warnings).toContain(
      'service small_proxy of stack small is not in the compose file: it keeps running (deploy --prune removes it)',
    );
    const pruned = renderDeployPlan(planDeploy(project, state, { contents, prune: true }));
    expect(operations(pruned)).toEqual([
      'stack small: 2 operations',
      '1  remove service  small_proxy           not in the compose file',
      '2  keep service    small_db              unchanged, 1/1',
      '3  keep service    small_app             unchanged, 1/1',
      '4  wait stopped    small_proxy  after 1  its tasks',
    ]);
  });

  it('removes and creates again a service whose mode changes (Swarm cannot change it in place)', () => {
    const project = smallProject();
    const state = deployed(project);
    project.services.proxy!.deploy = { mode: 'global' };
    const ops = planDeploy(project, state, { contents }).operations;
    expect(ops.map((op) => `${op.kind} ${op.id}`)).toContain('remove-service remove:proxy');
    const create = ops.find((op) => op.id === 'service:proxy');
    expect(create).toMatchObject({
      kind: 'create-service',
      after: expect.arrayContaining(['remove:proxy', 'wait:app']),
    });
  });

  it('with --wait waits for every service, unchanged ones too', () => {
    const project = smallProject();
    const plan = planDeploy(project, deployed(project), { contents, wait: true });
    expect(plan.operations.filter((op) => op.kind === 'wait-service').map((op) => op.id)).toEqual([
      'wait:db',
      'wait:app',
      'wait:proxy',
    ]);
  });

  it('plans images still to be built (a dry run) by their reference', () => {
    const plan = planDeploy(smallProject(), emptySwarm(), {
      contents,
      pendingImages: new Set(['db', 'app', 'proxy']),
    });
    const create = plan.operations.find((op) => op.kind === 'create-service' && op.service === 'db');
    expect(create?.kind === 'create-service' && create.spec.TaskTemplate.ContainerSpec.Image).toBe('db:1.0');
  });

  it('refuses an engine that is not a swarm manager', () => {
    const inactive = emptySwarm();
    inactive.swarm = { ...inactive.swarm, localNodeState: 'inactive', controlAvailable: false };
    expect(failure(() => planDeploy(smallProject(), inactive, { contents }))).toMatchObject({
      code: 'swarm.inactive',
      hint: expect.stringContaining('docker swarm init'),
    });
    const worker = emptySwarm();
    worker.swarm = { ...worker.swarm, controlAvailable: false };
    expect(failure(() => planDeploy(smallProject(), worker, { contents })).code).toBe('swarm.not-manager');
  });

  it('on several nodes runs pushed images by digest, and stops for images that exist here only', () => {
    const state = emptySwarm();
    state.nodes.push({
      id: 'node2',
      hostname: 'vm2',
      role: 'worker',
      state: 'ready',
      availability: 'active',
    });
    const error = failure(() => planDeploy(smallProject(), state, { contents }));
    expect(error.code).toBe('swarm.push-needed');
    expect(error.message).toBe(
      'the swarm has 2 nodes, and these images exist on this one only: db:1.0 (service db), app:1.0 (service app), proxy:1.0 (service proxy)',
    );
    for (const [ref, image] of Object.entries(state.images))
      state.images[ref] = { ...image!, repoDigests: [`${ref.split(':')[0]}@sha256:${'a'.repeat(64)}`] };
    const plan = planDeploy(smallProject(), state, { contents });
    const create = plan.operations.find((op) => op.kind === 'create-service' && op.service === 'db');
    expect(create?.kind === 'create-service' && create.spec.TaskTemplate.ContainerSpec.Image).toBe(
      `db@sha256:${'a'.repeat(64)}`,
    );
    expect(plan.warnings[0]).toContain('must be pushed to a registry every node reaches');
  });

  it("refuses a network of the same name that services cannot join (the project's own from up)", () => {
    const state = emptySwarm();
    state.networks.push({ id: 'b1', name: 'small_front', driver: 'bridge', labels: {} });
    expect(failure(() => planDeploy(smallProject(), state, { contents }))).toMatchObject({
      code: 'swarm.network-conflict',
      location: { path: 'networks.front' },
    });
  });

  it('refuses a bind volume whose host directory is missing, and an external secret that is not there', () => {
    const project = smallProject();
    const state = emptySwarm();
    state.missingPaths = ['/home/small/data'];
    expect(failure(() => planDeploy(project, state, { contents }))).toMatchObject({
      code: 'volume.bind-missing',
      hint: 'create it first: mkdir -p /home/small/data',
    });
    project.secrets!.db_password = { external: true, name: 'shared_password' };
    expect(failure(() => planDeploy(project, emptySwarm(), { contents })).code).toBe(
      'secret.external-missing',
    );
    const withSecret = emptySwarm();
    withSecret.secrets.push({ id: 'x1', name: 'shared_password', labels: {}, createdAt: '' });
    const plan = planDeploy(project, withSecret, { contents: { secrets: {}, configs: {} } });
    expect(plan.operations.some((op) => op.kind === 'create-secret')).toBe(false);
    expect(plan.secretIds.shared_password).toBe('x1');
  });
});

describe('planUndeploy', () => {
  it("removes the stack's services, waits for their tasks, then its networks and secrets; volumes stay", () => {
    const state = deployed(smallProject());
    state.networks.push({ id: 'other', name: 'other_net', driver: 'overlay', labels: {} });
    const text = renderDeployPlan(planUndeploy(state));
    const secret = contentName('small_db_password', contents.secrets.db_password).name;
    expect(operations(text)).toEqual([
      'stack small: 8 operations',
      '1  remove service  small_app',
      '2  remove service  small_db',
      '3  remove service  small_proxy',
      '4  wait stopped    small_app                     after 1      its tasks',
      '5  wait stopped    small_db                      after 2      its tasks',
      '6  wait stopped    small_proxy                   after 3      its tasks',
      `7  remove secret   ${secret}  after 4,5,6`,
      '8  remove network  small_front                   after 4,5,6',
    ]);
  });
});
