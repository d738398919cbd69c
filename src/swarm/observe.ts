import type { Project } from '../compose/model.js';
import type { Engine, NetworkSummary } from '../engine/engine.js';
import type {
  ImageIdentity,
  SwarmEngine,
  SwarmNode,
  SwarmObject,
  SwarmService,
  SwarmState,
} from '../engine/swarm.js';
import { composeImage, stackFilter } from './names.js';

/**
 * One snapshot of what the swarm holds for a stack, taken with a handful of concurrent calls: the
 * swarm's state and nodes, the stack's services (by com.docker.stack.namespace), every network,
 * secret and config (few; external ones are found by name), and the images the services run.
 * The planner reads nothing else.
 */
export interface StackObserved {
  stack: string;
  swarm: SwarmState;
  nodes: SwarmNode[];
  /** The stack's services, as the engine stores them. */
  services: SwarmService[];
  networks: NetworkSummary[];
  secrets: SwarmObject[];
  configs: SwarmObject[];
  /** Image reference (as the compose file names it) → its id and digests, or null when absent here. */
  images: Record<string, ImageIdentity | null>;
  apiVersion: string;
  /** Host paths that bind-type volumes (`driver_opts.device`) name and that do not exist here. */
  missingPaths: string[];
}

export interface ObserveStackOptions {
  /** Whether a host path exists (injected: observe does no file I/O of its own). */
  pathExists?: (path: string) => boolean;
}

/** Devices of `type: none, o: bind` volumes that the stack's services mount. */
export function bindDevices(project: Project): { key: string; device: string }[] {
  const used = new Set(
    Object.values(project.services).flatMap((s) =>
      (s.volumes ?? []).filter((v) => v.type === 'volume' && v.source).map((v) => v.source ?? ''),
    ),
  );
  return Object.entries(project.volumes ?? {})
    .filter(
      ([key, v]) =>
        used.has(key) && !v.external && v.driver_opts?.o?.split(',').includes('bind') && v.driver_opts.device,
    )
    .map(([key, v]) => ({ key, device: v.driver_opts?.device ?? '' }));
}

type ObserveEngine = Pick<Engine, 'apiVersion' | 'listNetworks'>;

/** The snapshot of a stack; `project` is undefined when working from labels alone (undeploy, ps). */
export async function observeStack(
  engine: ObserveEngine,
  swarm: SwarmEngine,
  stack: string,
  project: Project | undefined,
  options: ObserveStackOptions = {},
): Promise<StackObserved> {
  const [state, apiVersion] = await Promise.all([swarm.swarmState(), engine.apiVersion()]);
  const refs = project
    ? [...new Set(Object.keys(project.services).map((s) => composeImage(project, s)))]
    : [];
  const images = Object.fromEntries(
    await Promise.all(refs.map(async (ref) => [ref, (await swarm.imageIdentity(ref)) ?? null] as const)),
  );
  const missingPaths =
    project && options.pathExists
      ? bindDevices(project)
          .map((d) => d.device)
          .filter((device) => device.startsWith('/') && !options.pathExists!(device))
      : [];
  const empty: StackObserved = {
    stack,
    swarm: state,
    nodes: [],
    services: [],
    networks: [],
    secrets: [],
    configs: [],
    images,
    apiVersion,
    missingPaths,
  };
  // only a manager answers for services, secrets and configs: the planner says what to do about it
  if (state.localNodeState !== 'active' || !state.controlAvailable) return empty;
  const [nodes, services, networks, secrets, configs] = await Promise.all([
    swarm.listNodes(),
    swarm.listServices(stackFilter(stack)),
    engine.listNetworks(),
    swarm.listSecrets(),
    swarm.listConfigs(),
  ]);
  return { ...empty, nodes, services, networks, secrets, configs };
}
