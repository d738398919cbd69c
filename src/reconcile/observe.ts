import type { Project } from '../compose/model.js';
import type {
  ContainerSummary,
  Engine,
  ImageSummary,
  NetworkSummary,
  VolumeSummary,
} from '../engine/engine.js';
import { isOneOff, projectFilter } from './labels.js';
import { serviceImage } from './names.js';

/**
 * One snapshot of what the engine holds for a project, taken with a handful of concurrent calls:
 * the project's containers and volumes (by label), every network (few, and a network may exist by
 * name without our labels), and the images the services run. The planner reads nothing else.
 */
export interface ObservedState {
  project: string;
  /** Every container labelled with the project, one-off ones included. */
  containers: ContainerSummary[];
  networks: NetworkSummary[];
  /** The project's volumes, and the external ones looked up by name. */
  volumes: VolumeSummary[];
  /** Image reference → image, or null when the engine does not have it. */
  images: Record<string, ImageSummary | null>;
  apiVersion: string;
  /** Host paths that bind-type volumes (`driver_opts.device`) name and that do not exist. */
  missingPaths: string[];
}

export interface ObserveOptions {
  /** Whether a host path exists (injected: observe does no file I/O of its own). */
  pathExists?: (path: string) => boolean;
}

/** Devices of `type: none, o: bind` volumes: they must exist before anything is created. */
export function bindVolumeDevices(project: Project): { key: string; device: string }[] {
  return Object.entries(project.volumes ?? {})
    .filter(([, v]) => !v.external && v.driver_opts?.o?.split(',').includes('bind') && v.driver_opts.device)
    .map(([key, v]) => ({ key, device: v.driver_opts?.device ?? '' }));
}

export async function observe(
  engine: Engine,
  project: Project,
  options: ObserveOptions = {},
): Promise<ObservedState> {
  const filter = projectFilter(project.name);
  const refs = [...new Set(Object.keys(project.services).map((s) => serviceImage(project, s)))];
  const externalVolumes = Object.entries(project.volumes ?? {})
    .filter(([, v]) => v.external)
    .map(([key, v]) => v.name ?? key);
  const [apiVersion, containers, networks, volumes, images, external] = await Promise.all([
    engine.apiVersion(),
    engine.listContainers({ ...filter, all: true }),
    engine.listNetworks(),
    engine.listVolumes(filter),
    Promise.all(refs.map(async (ref) => [ref, (await engine.inspectImage(ref)) ?? null] as const)),
    Promise.all(externalVolumes.map((name) => engine.inspectVolume(name))),
  ]);
  const pathExists = options.pathExists;
  return {
    project: project.name,
    containers,
    networks,
    volumes: [...volumes, ...external.filter((v): v is VolumeSummary => v !== undefined)],
    images: Object.fromEntries(images),
    apiVersion,
    missingPaths: pathExists
      ? bindVolumeDevices(project)
          .map((d) => d.device)
          .filter((device) => device.startsWith('/') && !pathExists(device))
      : [],
  };
}

/** A snapshot from labels alone, for commands that work without the compose file (down, ps, logs). */
export async function observeByName(engine: Engine, projectName: string): Promise<ObservedState> {
  const filter = projectFilter(projectName);
  const [apiVersion, containers, networks, volumes] = await Promise.all([
    engine.apiVersion(),
    engine.listContainers({ ...filter, all: true }),
    engine.listNetworks(filter),
    engine.listVolumes(filter),
  ]);
  return { project: projectName, containers, networks, volumes, images: {}, apiVersion, missingPaths: [] };
}

/** The project's service containers (not one-off), by service name. */
export function containersByService(observed: ObservedState): Map<string, ContainerSummary[]> {
  const out = new Map<string, ContainerSummary[]>();
  for (const c of observed.containers) {
    if (isOneOff(c.labels)) continue;
    const service = c.labels['com.docker.compose.service'] ?? '';
    const list = out.get(service) ?? [];
    list.push(c);
    out.set(service, list);
  }
  return out;
}
