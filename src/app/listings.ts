import { TsComposeError } from '../core/errors.js';
import type { ContainerSummary, Engine, ProcessList } from '../engine/engine.js';
import { isOneOff, Label, projectFilter } from '../reconcile/labels.js';
import { serviceContainer } from './run.js';

/** `images`, `top`, `port`, `ls`: read-only views of what the engine holds for projects. */

export interface ImageRow {
  container: string;
  repository: string;
  tag: string;
  id: string;
  size: number;
}

const byName = (a: ContainerSummary, b: ContainerSummary) => a.name.localeCompare(b.name);

async function projectContainers(engine: Engine, projectName: string, services?: string[], all = true) {
  const wanted = services?.length ? new Set(services) : undefined;
  return (await engine.listContainers({ ...projectFilter(projectName), all }))
    .filter((c) => !wanted || wanted.has(c.labels[Label.service] ?? ''))
    .sort(byName);
}

/** `<repository>:<tag>` → the two parts (a registry port is not a tag). */
function splitReference(ref: string): { repository: string; tag: string } {
  const at = ref.lastIndexOf(':');
  if (at > ref.lastIndexOf('/') && at > 0) return { repository: ref.slice(0, at), tag: ref.slice(at + 1) };
  return { repository: ref, tag: 'latest' };
}

export async function listImages(
  engine: Engine,
  projectName: string,
  services?: string[],
): Promise<ImageRow[]> {
  const containers = await projectContainers(engine, projectName, services);
  const images = new Map<string, Awaited<ReturnType<Engine['inspectImage']>>>();
  await Promise.all(
    [...new Set(containers.map((c) => c.imageId))].map(async (id) =>
      images.set(id, await engine.inspectImage(id)),
    ),
  );
  return containers.map((c) => {
    const image = images.get(c.imageId);
    const ref = image?.repoTags.includes(c.image) ? c.image : (image?.repoTags[0] ?? '<none>:<none>');
    return { container: c.name, ...splitReference(ref), id: c.imageId, size: image?.size ?? 0 };
  });
}

export async function listProcesses(
  engine: Engine,
  projectName: string,
  services?: string[],
): Promise<{ container: string; processes: ProcessList }[]> {
  const containers = (await projectContainers(engine, projectName, services, false)).filter(
    (c) => c.state === 'running',
  );
  return Promise.all(
    containers.map(async (c) => ({ container: c.name, processes: await engine.topContainer(c.id) })),
  );
}

/** `port SERVICE PRIVATE_PORT`: the published address, `host:port`. */
export async function publishedPort(
  engine: Engine,
  projectName: string,
  options: { service: string; port: number; protocol?: string; index?: number },
): Promise<string> {
  const container = await serviceContainer(engine, projectName, options.service, options.index);
  const protocol = options.protocol ?? 'tcp';
  const binding = container.ports.find(
    (p) => p.privatePort === options.port && p.type === protocol && p.publicPort,
  );
  if (!binding)
    throw new TsComposeError(
      `no port ${options.port}/${protocol} is published by service ${options.service}`,
      {
        code: 'port.not-published',
        hint: `publish it in the compose file: ports: ["${options.port}"]`,
      },
    );
  return `${binding.ip || '0.0.0.0'}:${binding.publicPort}`;
}

export interface ProjectRow {
  name: string;
  /** `running(3)`, `exited(1), running(2)` as Compose prints it. */
  status: string;
  configFiles: string;
}

/** `ls`: every Compose project on the engine, from the labels of its containers. */
export async function listProjects(engine: Engine, options: { all?: boolean }): Promise<ProjectRow[]> {
  const containers = await engine.listContainers({ label: [Label.project], all: true });
  const projects = new Map<string, ContainerSummary[]>();
  for (const c of containers) {
    if (isOneOff(c.labels)) continue;
    const name = c.labels[Label.project] ?? '';
    projects.set(name, [...(projects.get(name) ?? []), c]);
  }
  const rows: ProjectRow[] = [];
  for (const [name, list] of [...projects].sort(([a], [b]) => a.localeCompare(b))) {
    const counts = new Map<string, number>();
    for (const c of list) counts.set(c.state, (counts.get(c.state) ?? 0) + 1);
    if (!options.all && !counts.has('running')) continue;
    const status = [...counts]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([state, n]) => `${state}(${n})`)
      .join(', ');
    const files = [...new Set(list.map((c) => c.labels[Label.configFiles] ?? ''))].filter(Boolean).join(',');
    rows.push({ name, status, configFiles: files });
  }
  return rows;
}
