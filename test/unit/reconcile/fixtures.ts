// Hand-written projects in the canonical model (what the loader produces), and observed states built
// from what a plan would create, so that planner tests run without Docker.
import type { Project, ServiceConfig } from '../../../src/compose/model.js';
import type { ContainerSummary } from '../../../src/engine/engine.js';
import type { ObservedState } from '../../../src/reconcile/observe.js';
import type { Plan } from '../../../src/reconcile/operations.js';
import type { ProjectLabels } from '../../../src/reconcile/labels.js';
import { serviceHash } from '../../../src/app/service-hash.js';

export const hash = serviceHash;

export const labels: ProjectLabels = {
  workingDir: '/work/small',
  configFiles: ['/work/small/compose.yaml'],
  envFiles: [],
  version: '0.1.0',
};

const service = (name: string, extra: Partial<ServiceConfig>): ServiceConfig => ({
  name,
  image: 'debian:bookworm',
  command: ['sleep', 'infinity'],
  entrypoint: null,
  init: true,
  ...extra,
});

/** The benchmark's `small` stack: db (health check) <- app (service_healthy) <- proxy (service_started). */
export function smallProject(): Project {
  return {
    name: 'small',
    working_dir: '/work/small',
    services: {
      db: service('db', {
        command: ['sh', '-c', 'touch /tmp/ready && exec sleep infinity'],
        healthcheck: { test: ['CMD', 'test', '-f', '/tmp/ready'], interval: '1s', timeout: '2s', retries: 5 },
        volumes: [{ type: 'volume', source: 'dbdata', target: '/var/lib/data' }],
        networks: { back: null },
      }),
      app: service('app', {
        environment: { DB_HOST: 'db' },
        depends_on: { db: { condition: 'service_healthy', required: true } },
        networks: { back: null },
      }),
      proxy: service('proxy', {
        ports: [{ mode: 'ingress', host_ip: '127.0.0.1', target: 443, published: '18443', protocol: 'tcp' }],
        depends_on: { app: { condition: 'service_started', required: true } },
        networks: { back: null },
      }),
    },
    networks: { back: { driver: 'bridge' } },
    volumes: { dbdata: {} },
  };
}

export const image = {
  id: 'sha256:1111111111111111111111111111111111111111111111111111111111111111',
  repoTags: ['debian:bookworm'],
  labels: {},
  created: 0,
  size: 0,
};

export function emptyState(project: Project): ObservedState {
  return {
    project: project.name,
    containers: [],
    networks: [{ id: 'n0', name: 'bridge', driver: 'bridge', labels: {} }],
    volumes: [],
    images: { 'debian:bookworm': image },
    apiVersion: '1.41',
    missingPaths: [],
  };
}

/** The engine as it is after executing `plan` on `before`: what the plan created now runs. */
export function afterPlan(before: ObservedState, plan: Plan): ObservedState {
  const state = structuredClone(before);
  for (const op of plan.operations) {
    if (op.kind === 'create-network')
      state.networks.push({ id: op.name, name: op.name, driver: 'bridge', labels: op.spec.Labels ?? {} });
    if (op.kind === 'create-volume')
      state.volumes.push({
        name: op.name,
        driver: 'local',
        labels: op.spec.Labels ?? {},
        mountpoint: '',
        options: {},
      });
    if (op.kind === 'create-container' || op.kind === 'recreate-container') {
      if (op.kind === 'recreate-container')
        state.containers = state.containers.filter((c) => c.id !== op.replaces.id);
      const summary: ContainerSummary = {
        id: `id-${op.container.name}-${plan.operations.length}`,
        name: op.container.name,
        image: op.plan.spec.Image,
        imageId: op.plan.spec.Labels?.['com.docker.compose.image'] ?? '',
        labels: op.plan.spec.Labels ?? {},
        state: 'running',
        status: 'Up 1 second',
        created: 0,
        command: '',
        ports: [],
        networks: [],
        mounts: [],
      };
      state.containers.push(summary);
    }
  }
  return state;
}
