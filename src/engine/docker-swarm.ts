import { TsComposeError } from '../core/errors.js';
import type { LabelFilter, Labels } from './engine.js';
import { endpointFromEnv } from './endpoint.js';
import { EngineHttp, type Query } from './http.js';
import type {
  ConfigSpec,
  ContainerSpec,
  ImageIdentity,
  PortConfigSpec,
  SecretSpec,
  ServiceSpec,
  SwarmEngine,
  SwarmNode,
  SwarmObject,
  SwarmService,
  SwarmState,
  SwarmTask,
  TaskFilter,
} from './swarm.js';

/** The Engine API's JSON, reduced to the fields read here. */
interface RawService {
  ID: string;
  Version: { Index: number };
  CreatedAt: string;
  UpdatedAt: string;
  Spec: ServiceSpec;
  Endpoint?: { Ports?: PortConfigSpec[] | null };
  UpdateStatus?: { State?: string; Message?: string; StartedAt?: string; CompletedAt?: string };
  ServiceStatus?: { RunningTasks: number; DesiredTasks: number };
}
interface RawTask {
  ID: string;
  ServiceID: string;
  Slot?: number;
  NodeID?: string;
  CreatedAt: string;
  UpdatedAt: string;
  DesiredState: string;
  Spec: { ContainerSpec?: ContainerSpec };
  Status: {
    Timestamp: string;
    State: string;
    Message?: string;
    Err?: string;
    ContainerStatus?: { ContainerID?: string; ExitCode?: number };
    PortStatus?: { Ports?: PortConfigSpec[] | null };
  };
}
interface RawObject {
  ID: string;
  CreatedAt: string;
  Spec: { Name: string; Labels?: Labels | null };
}
interface RawNode {
  ID: string;
  Description?: { Hostname?: string };
  Spec: { Role: string; Availability: string };
  Status: { State: string };
}

const path = (id: string) => encodeURIComponent(id);

const labelQuery = (filter: LabelFilter | undefined): Query =>
  filter && filter.label.length ? { filters: { label: filter.label } } : {};

/** The API omits empty lists and maps as null or leaves them out: the spec is read as it is stored. */
const toService = (s: RawService): SwarmService => ({
  id: s.ID,
  version: s.Version.Index,
  createdAt: s.CreatedAt,
  updatedAt: s.UpdatedAt,
  spec: s.Spec,
  endpointPorts: s.Endpoint?.Ports ?? [],
  updateStatus: s.UpdateStatus?.State
    ? {
        state: s.UpdateStatus.State,
        message: s.UpdateStatus.Message ?? '',
        startedAt: s.UpdateStatus.StartedAt,
        completedAt: s.UpdateStatus.CompletedAt,
      }
    : undefined,
  runningTasks: s.ServiceStatus?.RunningTasks,
  desiredTasks: s.ServiceStatus?.DesiredTasks,
});

const toTask = (t: RawTask): SwarmTask => ({
  id: t.ID,
  serviceId: t.ServiceID,
  slot: t.Slot ?? 0,
  nodeId: t.NodeID ?? '',
  createdAt: t.CreatedAt,
  updatedAt: t.UpdatedAt,
  desiredState: t.DesiredState,
  state: t.Status.State,
  message: t.Status.Message ?? '',
  error: t.Status.Err ?? '',
  timestamp: t.Status.Timestamp,
  containerId: t.Status.ContainerStatus?.ContainerID || undefined,
  exitCode: t.Status.ContainerStatus?.ExitCode,
  containerSpec: t.Spec.ContainerSpec ?? { Image: '' },
  ports: t.Status.PortStatus?.Ports ?? [],
});

const toObject = (o: RawObject): SwarmObject => ({
  id: o.ID,
  name: o.Spec.Name,
  labels: o.Spec.Labels ?? {},
  createdAt: o.CreatedAt,
});

const isNotFound = (error: unknown) => error instanceof TsComposeError && error.code === 'engine.not-found';

export interface DockerSwarmOptions {
  env: Readonly<Record<string, string | undefined>>;
}

/** The Swarm port on a real Docker engine, found through DOCKER_HOST as the container port is. */
export function createDockerSwarm(options: DockerSwarmOptions): SwarmEngine & { close(): void } {
  return new DockerSwarm(new EngineHttp(endpointFromEnv(options.env)));
}

export class DockerSwarm implements SwarmEngine {
  constructor(private readonly http: EngineHttp) {}

  close(): void {
    this.http.close();
  }

  async swarmState(): Promise<SwarmState> {
    const info = await this.http.json<{
      Swarm?: {
        NodeID?: string;
        LocalNodeState?: string;
        ControlAvailable?: boolean;
        Nodes?: number;
        Managers?: number;
      };
    }>('GET', '/info', { action: 'read the engine information' });
    const s = info.Swarm ?? {};
    return {
      localNodeState: s.LocalNodeState || 'inactive',
      nodeId: s.NodeID ?? '',
      controlAvailable: s.ControlAvailable === true,
      nodes: s.Nodes ?? 0,
      managers: s.Managers ?? 0,
    };
  }

  async listNodes(): Promise<SwarmNode[]> {
    const raw = await this.http.json<RawNode[]>('GET', '/nodes', { action: 'list swarm nodes' });
    return raw.map((n) => ({
      id: n.ID,
      hostname: n.Description?.Hostname ?? '',
      role: n.Spec.Role,
      state: n.Status.State,
      availability: n.Spec.Availability,
    }));
  }

  async listServices(filter: LabelFilter): Promise<SwarmService[]> {
    const raw = await this.http.json<RawService[]>('GET', '/services', {
      query: { ...labelQuery(filter), status: 'true' },
      action: 'list services',
    });
    return raw.map(toService);
  }

  async inspectService(idOrName: string): Promise<SwarmService | undefined> {
    try {
      const raw = await this.http.json<RawService>('GET', `/services/${path(idOrName)}`, {
        action: `inspect service ${idOrName}`,
      });
      return toService(raw);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async createService(spec: ServiceSpec): Promise<{ id: string; warnings: string[] }> {
    const res = await this.http.json<{ ID: string; Warning?: string; Warnings?: string[] | null }>(
      'POST',
      '/services/create',
      { body: spec, action: `create service ${spec.Name}` },
    );
    return { id: res.ID, warnings: [...(res.Warnings ?? []), ...(res.Warning ? [res.Warning] : [])] };
  }

  async updateService(id: string, version: number, spec: ServiceSpec): Promise<{ warnings: string[] }> {
    const res = await this.http.json<{ Warnings?: string[] | null } | undefined>(
      'POST',
      `/services/${path(id)}/update`,
      { query: { version }, body: spec, action: `update service ${spec.Name}` },
    );
    return { warnings: res?.Warnings ?? [] };
  }

  async removeService(idOrName: string): Promise<void> {
    await this.http.json('DELETE', `/services/${path(idOrName)}`, { action: `remove service ${idOrName}` });
  }

  async listTasks(filter: TaskFilter): Promise<SwarmTask[]> {
    const filters: Record<string, string[]> = {};
    if (filter.service?.length) filters.service = filter.service;
    if (filter.desiredState?.length) filters['desired-state'] = filter.desiredState;
    const raw = await this.http.json<RawTask[]>('GET', '/tasks', {
      query: Object.keys(filters).length ? { filters } : {},
      action: 'list tasks',
    });
    return raw.map(toTask);
  }

  async listSecrets(filter?: LabelFilter): Promise<SwarmObject[]> {
    const raw = await this.http.json<RawObject[]>('GET', '/secrets', {
      query: labelQuery(filter),
      action: 'list secrets',
    });
    return raw.map(toObject);
  }

  async createSecret(spec: SecretSpec): Promise<string> {
    const res = await this.http.json<{ ID: string }>('POST', '/secrets/create', {
      body: spec,
      action: `create secret ${spec.Name}`,
    });
    return res.ID;
  }

  async removeSecret(idOrName: string): Promise<void> {
    await this.http.json('DELETE', `/secrets/${path(idOrName)}`, { action: `remove secret ${idOrName}` });
  }

  async listConfigs(filter?: LabelFilter): Promise<SwarmObject[]> {
    const raw = await this.http.json<RawObject[]>('GET', '/configs', {
      query: labelQuery(filter),
      action: 'list configs',
    });
    return raw.map(toObject);
  }

  async createConfig(spec: ConfigSpec): Promise<string> {
    const res = await this.http.json<{ ID: string }>('POST', '/configs/create', {
      body: spec,
      action: `create config ${spec.Name}`,
    });
    return res.ID;
  }

  async removeConfig(idOrName: string): Promise<void> {
    await this.http.json('DELETE', `/configs/${path(idOrName)}`, { action: `remove config ${idOrName}` });
  }

  async imageIdentity(ref: string): Promise<ImageIdentity | undefined> {
    try {
      const raw = await this.http.json<{ Id: string; RepoDigests?: string[] | null }>(
        'GET',
        `/images/${path(ref)}/json`,
        { action: `inspect image ${ref}` },
      );
      return { id: raw.Id, repoDigests: raw.RepoDigests ?? [] };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}
