// A small Inception-like project in the canonical model, and swarm snapshots built from what a deploy
// plan would leave behind, stored the way the engine stores it (network ids, secret ids, defaults),
// so that planner tests run without Docker.
import type { Project, ServiceConfig } from '../../../src/compose/model.js';
import type { ServiceSpec, SwarmService } from '../../../src/engine/swarm.js';
import type { StackObserved } from '../../../src/swarm/observe.js';
import type { DeployPlan } from '../../../src/swarm/operations.js';

const service = (name: string, extra: Partial<ServiceConfig>): ServiceConfig => ({
  name,
  command: null,
  entrypoint: null,
  restart: 'unless-stopped',
  networks: { front: null },
  ...extra,
});

/** db (health check, secret) <- app (service_healthy) <- proxy (service_healthy, port 443). */
export function smallProject(): Project {
  return {
    name: 'small',
    working_dir: '/work/small',
    services: {
      db: service('db', {
        build: { context: '/work/small/db' },
        image: 'db:1.0',
        secrets: [{ source: 'db_password' }],
        volumes: [{ type: 'volume', source: 'data', target: '/var/lib/mysql' }],
        healthcheck: {
          test: ['CMD', 'healthcheck'],
          interval: '5s',
          timeout: '5s',
          retries: 5,
          start_period: '1m0s',
        },
      }),
      app: service('app', {
        build: { context: '/work/small/app' },
        image: 'app:1.0',
        environment: { DB_HOST: 'db', TITLE: 'Small' },
        secrets: [{ source: 'db_password' }],
        depends_on: { db: { condition: 'service_healthy', required: true } },
        healthcheck: { test: ['CMD', 'healthcheck'], interval: '5s' },
      }),
      proxy: service('proxy', {
        image: 'proxy:1.0',
        build: { context: '/work/small/proxy' },
        ports: [{ mode: 'ingress', target: 443, published: '443', protocol: 'tcp' }],
        networks: { front: { aliases: ['small.42.fr'] } },
        depends_on: { app: { condition: 'service_healthy', required: true } },
      }),
    },
    networks: { front: { driver: 'bridge' } },
    volumes: {
      data: { driver: 'local', driver_opts: { type: 'none', o: 'bind', device: '/home/small/data' } },
    },
    secrets: { db_password: { file: '/work/secrets/db_password.txt' } },
  };
}

export const contents = { secrets: { db_password: Buffer.from('s3cret') }, configs: {} };

const identity = (n: number) => ({ id: `sha256:${String(n).repeat(64)}`, repoDigests: [] });

export function emptySwarm(stack = 'small'): StackObserved {
  return {
    stack,
    swarm: { localNodeState: 'active', nodeId: 'node1', controlAvailable: true, nodes: 1, managers: 1 },
    nodes: [{ id: 'node1', hostname: 'vm', role: 'manager', state: 'ready', availability: 'active' }],
    services: [],
    networks: [{ id: 'ingressid', name: 'ingress', driver: 'overlay', labels: {} }],
    secrets: [],
    configs: [],
    images: { 'db:1.0': identity(1), 'app:1.0': identity(2), 'proxy:1.0': identity(3) },
    apiVersion: '1.41',
    missingPaths: [],
  };
}

/** A spec as the engine stores it: network names become ids, references get ids, defaults appear. */
function stored(spec: ServiceSpec, state: StackObserved): ServiceSpec {
  const copy = structuredClone(spec);
  copy.TaskTemplate.Runtime = 'container';
  copy.TaskTemplate.ForceUpdate = 0;
  copy.TaskTemplate.ContainerSpec.Isolation = 'default';
  copy.TaskTemplate.Networks = copy.TaskTemplate.Networks?.map((n) => ({
    ...n,
    Target: state.networks.find((x) => x.name === n.Target)?.id ?? n.Target,
  }));
  copy.TaskTemplate.ContainerSpec.Secrets = copy.TaskTemplate.ContainerSpec.Secrets?.map((s) => ({
    ...s,
    SecretID: state.secrets.find((x) => x.name === s.SecretName)?.id ?? 'missing',
  }));
  // the engine leaves zero durations out
  const hc = copy.TaskTemplate.ContainerSpec.Healthcheck;
  if (hc) for (const k of Object.keys(hc) as (keyof typeof hc)[]) if (hc[k] === 0) delete hc[k];
  return copy;
}

/** The swarm after `plan` ran on `before`, every service converged. */
export function afterDeploy(before: StackObserved, plan: DeployPlan): StackObserved {
  const state = structuredClone(before);
  let n = 0;
  const id = (prefix: string) => `${prefix}${++n}`;
  for (const op of plan.operations)
    switch (op.kind) {
      case 'create-network':
        state.networks.push({
          id: id('net'),
          name: op.name,
          driver: op.spec.Driver ?? 'overlay',
          labels: op.spec.Labels ?? {},
        });
        break;
      case 'create-secret':
        state.secrets.push({ id: id('sec'), name: op.name, labels: op.spec.Labels ?? {}, createdAt: '' });
        break;
      case 'create-config':
        state.configs.push({ id: id('cfg'), name: op.name, labels: op.spec.Labels ?? {}, createdAt: '' });
        break;
      case 'remove-secret':
        state.secrets = state.secrets.filter((s) => s.name !== op.name);
        break;
      case 'remove-service':
        state.services = state.services.filter((s) => s.spec.Name !== op.name);
        break;
      case 'remove-network':
        state.networks = state.networks.filter((x) => x.name !== op.name);
        break;
      default:
        break;
    }
  for (const op of plan.operations) {
    if (op.kind !== 'create-service' && op.kind !== 'update-service') continue;
    const replicas = 'Replicated' in op.spec.Mode ? op.spec.Mode.Replicated.Replicas : 1;
    const service: SwarmService = {
      id: op.kind === 'update-service' ? op.serviceId : id('svc'),
      version: op.kind === 'update-service' ? op.version + 1 : 10,
      createdAt: '',
      updatedAt: '',
      spec: stored(op.spec, state),
      endpointPorts: op.spec.EndpointSpec?.Ports ?? [],
      runningTasks: replicas,
      desiredTasks: replicas,
    };
    state.services = [...state.services.filter((s) => s.spec.Name !== op.name), service];
  }
  return state;
}
