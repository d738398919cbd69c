import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type {
  AttachRequest,
  BuildImageRequest,
  BuildMessage,
  ContainerCreateSpec,
  ContainerDetails,
  ContainerPathStat,
  ContainerState,
  ContainerSummary,
  EndpointSpec,
  Engine,
  EngineEvent,
  EngineVersion,
  EventSubscription,
  ExecRequest,
  HealthStatus,
  ImageSummary,
  LabelFilter,
  Labels,
  LogLine,
  LogsRequest,
  MountPoint,
  NetworkCreateSpec,
  NetworkSummary,
  ProcessList,
  VolumeCreateSpec,
  VolumeSummary,
} from './engine.js';
import { endpointFromEnv, type EngineEndpoint } from './endpoint.js';
import { portInMessage, portInUse } from './errors.js';
import { EngineHttp, type Query } from './http.js';
import { hostProcessOnPort } from './port-holder.js';
import { demux, lines } from './streams.js';
import { TsComposeError } from '../core/errors.js';

/** The Engine API's JSON, reduced to the fields read here. */
interface RawMount {
  Type: string;
  Name?: string;
  Source: string;
  Destination: string;
  RW: boolean;
}
interface RawContainerSummary {
  Id: string;
  Names?: string[];
  Image: string;
  ImageID: string;
  Command: string;
  Created: number;
  Labels: Labels | null;
  State: string;
  Status: string;
  Ports?: { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[];
  Mounts?: RawMount[];
  NetworkSettings?: { Networks?: Record<string, unknown> };
}
interface RawContainer {
  Id: string;
  Name: string;
  Image: string;
  RestartCount: number;
  HostConfig?: { RestartPolicy?: { Name?: string } };
  State: {
    Status: string;
    Running: boolean;
    Restarting: boolean;
    OOMKilled: boolean;
    Pid: number;
    ExitCode: number;
    Error: string;
    StartedAt: string;
    FinishedAt: string;
    Health?: {
      Status: string;
      FailingStreak: number;
      Log: { Start: string; End: string; ExitCode: number; Output: string }[] | null;
    };
  };
  Config: {
    Image: string;
    Labels: Labels | null;
    Env: string[] | null;
    Cmd: string[] | null;
    Entrypoint: string[] | null;
    Tty: boolean;
    OpenStdin: boolean;
    User: string;
    WorkingDir: string;
    Healthcheck?: {
      Test?: string[];
      Interval?: number;
      Timeout?: number;
      Retries?: number;
      StartPeriod?: number;
    };
  };
  Mounts: RawMount[] | null;
  NetworkSettings: {
    Networks: Record<string, { IPAddress: string; Aliases: string[] | null; NetworkID: string }> | null;
  };
}
interface RawNetwork {
  Id: string;
  Name: string;
  Driver: string;
  Labels: Labels | null;
  Containers?: Record<string, { Name: string }>;
}
interface RawVolume {
  Name: string;
  Driver: string;
  Labels: Labels | null;
  Mountpoint: string;
  Options: Record<string, string> | null;
}
interface RawImage {
  Id: string;
  RepoTags: string[] | null;
  Labels?: Labels | null;
  Config?: { Labels?: Labels | null };
  Created: number | string;
  Size: number;
}

const containerStates: ContainerState[] = [
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
];
const toState = (s: string): ContainerState =>
  containerStates.includes(s as ContainerState) ? (s as ContainerState) : 'dead';

function healthFromStatus(status: string): HealthStatus | undefined {
  const m = /\((healthy|unhealthy|health: starting)\)/.exec(status);
  if (!m) return undefined;
  return m[1] === 'health: starting' ? 'starting' : (m[1] as HealthStatus);
}

const toMount = (m: RawMount): MountPoint => ({
  type: m.Type,
  name: m.Name || undefined,
  source: m.Source,
  destination: m.Destination,
  rw: m.RW,
});

function toSummary(c: RawContainerSummary): ContainerSummary {
  return {
    id: c.Id,
    name: (c.Names?.[0] ?? '').replace(/^\//, ''),
    image: c.Image,
    imageId: c.ImageID,
    labels: c.Labels ?? {},
    state: toState(c.State),
    status: c.Status,
    created: c.Created,
    command: c.Command,
    ports: (c.Ports ?? []).map((p) => ({
      privatePort: p.PrivatePort,
      publicPort: p.PublicPort,
      type: p.Type,
      ip: p.IP,
    })),
    networks: Object.keys(c.NetworkSettings?.Networks ?? {}),
    health: healthFromStatus(c.Status),
    mounts: (c.Mounts ?? []).map(toMount),
  };
}

function toDetails(c: RawContainer): ContainerDetails {
  const health = c.State.Health;
  const hc = c.Config.Healthcheck;
  return {
    id: c.Id,
    name: c.Name.replace(/^\//, ''),
    image: c.Config.Image,
    imageId: c.Image,
    labels: c.Config.Labels ?? {},
    state: {
      status: toState(c.State.Status),
      running: c.State.Running,
      exitCode: c.State.ExitCode,
      error: c.State.Error,
      startedAt: c.State.StartedAt,
      finishedAt: c.State.FinishedAt,
      restarting: c.State.Restarting,
      oomKilled: c.State.OOMKilled,
      pid: c.State.Pid,
      health: health && {
        status: (['starting', 'healthy', 'unhealthy'].includes(health.Status)
          ? health.Status
          : 'none') as HealthStatus,
        failingStreak: health.FailingStreak,
        log: (health.Log ?? []).map((l) => ({
          start: l.Start,
          end: l.End,
          exitCode: l.ExitCode,
          output: l.Output,
        })),
      },
    },
    restartCount: c.RestartCount,
    restartPolicy: c.HostConfig?.RestartPolicy?.Name ?? '',
    mounts: (c.Mounts ?? []).map(toMount),
    networks: Object.fromEntries(
      Object.entries(c.NetworkSettings.Networks ?? {}).map(([name, n]) => [
        name,
        { ipAddress: n.IPAddress, aliases: n.Aliases ?? [], networkId: n.NetworkID },
      ]),
    ),
    env: c.Config.Env ?? [],
    config: {
      image: c.Config.Image,
      cmd: c.Config.Cmd,
      entrypoint: c.Config.Entrypoint,
      tty: c.Config.Tty,
      openStdin: c.Config.OpenStdin,
      user: c.Config.User,
      workingDir: c.Config.WorkingDir,
      healthcheck: hc && {
        test: hc.Test,
        interval: hc.Interval,
        timeout: hc.Timeout,
        retries: hc.Retries,
        startPeriod: hc.StartPeriod,
      },
    },
  };
}

const toNetwork = (n: RawNetwork): NetworkSummary => ({
  id: n.Id,
  name: n.Name,
  driver: n.Driver,
  labels: n.Labels ?? {},
  containers: n.Containers
    ? Object.fromEntries(Object.entries(n.Containers).map(([id, c]) => [id, { name: c.Name }]))
    : undefined,
});

const toVolume = (v: RawVolume): VolumeSummary => ({
  name: v.Name,
  driver: v.Driver,
  labels: v.Labels ?? {},
  mountpoint: v.Mountpoint,
  options: v.Options ?? {},
});

const toImage = (i: RawImage): ImageSummary => ({
  id: i.Id,
  repoTags: (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
  labels: i.Labels ?? i.Config?.Labels ?? {},
  created: typeof i.Created === 'number' ? i.Created : Math.floor(Date.parse(i.Created) / 1000),
  size: i.Size,
});

const filters = (filter: LabelFilter | undefined): Query =>
  filter && filter.label.length ? { filters: { label: filter.label } } : {};

const path = (id: string) => encodeURIComponent(id);

/** Engine errors that mean "there is nothing there", for the inspect calls that answer undefined. */
const isNotFound = (error: unknown) => error instanceof TsComposeError && error.code === 'engine.not-found';

export interface DockerEngineOptions {
  env: Readonly<Record<string, string | undefined>>;
}

/** The Engine port on a real Docker engine, found through DOCKER_HOST (default /var/run/docker.sock). */
export function createDockerEngine(options: DockerEngineOptions): Engine {
  return new DockerEngine(endpointFromEnv(options.env));
}

export class DockerEngine implements Engine {
  private readonly http: EngineHttp;

  constructor(readonly endpoint: EngineEndpoint) {
    this.http = new EngineHttp(endpoint);
  }

  apiVersion(): Promise<string> {
    return this.http.apiVersion();
  }

  close(): void {
    this.http.close();
  }

  async version(): Promise<EngineVersion> {
    const v = await this.http.json<{ Version: string; ApiVersion: string; Os: string; Arch: string }>(
      'GET',
      '/version',
      { action: 'read the engine version' },
    );
    return { version: v.Version, apiVersion: v.ApiVersion, os: v.Os, arch: v.Arch };
  }

  async listContainers(filter: LabelFilter & { all?: boolean }): Promise<ContainerSummary[]> {
    const raw = await this.http.json<RawContainerSummary[]>('GET', '/containers/json', {
      query: { all: filter.all ? 1 : undefined, ...filters(filter) },
      action: 'list containers',
    });
    return raw.map(toSummary);
  }

  async inspectContainer(id: string): Promise<ContainerDetails> {
    const raw = await this.http.json<RawContainer>('GET', `/containers/${path(id)}/json`, {
      action: `inspect container ${id}`,
    });
    return toDetails(raw);
  }

  async createContainer(spec: ContainerCreateSpec): Promise<string> {
    const { name, ...body } = spec;
    const res = await this.http.json<{ Id: string }>('POST', '/containers/create', {
      query: { name },
      body,
      action: `create container ${name}`,
    });
    return res.Id;
  }

  async startContainer(id: string): Promise<void> {
    const action = `start container ${id}`;
    try {
      await this.http.json('POST', `/containers/${path(id)}/start`, { action, accept: [304] });
    } catch (error) {
      if (!(error instanceof TsComposeError) || error.code !== 'engine.port-in-use') throw error;
      const text = error.details[0] ?? '';
      const port = portInMessage(text);
      if (port === undefined) throw error;
      throw portInUse(action, port, text, await this.portHolder(port).catch(() => undefined));
    }
  }

  async stopContainer(id: string, timeoutSeconds?: number): Promise<void> {
    await this.http.json('POST', `/containers/${path(id)}/stop`, {
      query: { t: timeoutSeconds },
      action: `stop container ${id}`,
      accept: [304],
    });
  }

  async killContainer(id: string, signal?: string): Promise<void> {
    await this.http.json('POST', `/containers/${path(id)}/kill`, {
      query: { signal },
      action: `kill container ${id}`,
    });
  }

  async restartContainer(id: string, timeoutSeconds?: number): Promise<void> {
    await this.http.json('POST', `/containers/${path(id)}/restart`, {
      query: { t: timeoutSeconds },
      action: `restart container ${id}`,
    });
  }

  async pauseContainer(id: string): Promise<void> {
    await this.http.json('POST', `/containers/${path(id)}/pause`, { action: `pause container ${id}` });
  }

  async unpauseContainer(id: string): Promise<void> {
    await this.http.json('POST', `/containers/${path(id)}/unpause`, { action: `unpause container ${id}` });
  }

  async removeContainer(id: string, options?: { force?: boolean; volumes?: boolean }): Promise<void> {
    await this.http.json('DELETE', `/containers/${path(id)}`, {
      query: { force: options?.force ? 1 : undefined, v: options?.volumes ? 1 : undefined },
      action: `remove container ${id}`,
    });
  }

  async renameContainer(id: string, name: string): Promise<void> {
    await this.http.json('POST', `/containers/${path(id)}/rename`, {
      query: { name },
      action: `rename container ${id} to ${name}`,
    });
  }

  async waitContainer(
    id: string,
    options?: { condition?: 'not-running' | 'next-exit' | 'removed'; signal?: AbortSignal },
  ): Promise<number> {
    const signal = options?.signal;
    const res = await this.http.json<{ StatusCode: number }>('POST', `/containers/${path(id)}/wait`, {
      query: { condition: options?.condition ?? 'not-running' },
      action: `wait for container ${id}`,
      signal,
      longLived: true,
    });
    return res.StatusCode;
  }

  async resizeContainer(id: string, rows: number, columns: number): Promise<void> {
    await this.http.json('POST', `/containers/${path(id)}/resize`, {
      query: { h: rows, w: columns },
      action: `resize the terminal of container ${id}`,
    });
  }

  async topContainer(id: string, psArgs?: string): Promise<ProcessList> {
    const res = await this.http.json<{ Titles: string[]; Processes: string[][] | null }>(
      'GET',
      `/containers/${path(id)}/top`,
      { query: { ps_args: psArgs }, action: `list the processes of container ${id}` },
    );
    return { titles: res.Titles, processes: res.Processes ?? [] };
  }

  async *containerLogs(id: string, request: LogsRequest): AsyncIterable<LogLine> {
    const tty = (await this.inspectContainer(id)).config.tty;
    const res = await this.http.request('GET', `/containers/${path(id)}/logs`, {
      query: {
        stdout: 1,
        stderr: 1,
        follow: request.follow ? 1 : undefined,
        tail: request.tail === undefined ? undefined : String(request.tail),
        since: request.since,
        until: request.until,
        timestamps: request.timestamps ? 1 : undefined,
      },
      action: `read the logs of container ${id}`,
      signal: request.signal,
      longLived: request.follow,
    });
    try {
      if (tty) {
        for await (const text of lines(res)) yield { stream: 'stdout', text };
        return;
      }
      const partial = { stdout: '', stderr: '' };
      for await (const frame of demux(res)) {
        if (frame.stream === 'stdin') continue;
        const text = partial[frame.stream] + frame.data.toString('utf8');
        const parts = text.split('\n');
        partial[frame.stream] = parts.pop() ?? '';
        for (const line of parts) yield { stream: frame.stream, text: line.replace(/\r$/, '') };
      }
      for (const stream of ['stdout', 'stderr'] as const)
        if (partial[stream]) yield { stream, text: partial[stream] };
    } catch (error) {
      if (!request.signal?.aborted)
        throw this.http.translate(
          error as NodeJS.ErrnoException,
          undefined,
          `read the logs of container ${id}`,
        );
    } finally {
      res.destroy();
    }
  }

  async exec(id: string, request: ExecRequest): Promise<number> {
    const created = await this.http.json<{ Id: string }>('POST', `/containers/${path(id)}/exec`, {
      body: {
        AttachStdin: !!request.stdin,
        AttachStdout: true,
        AttachStderr: true,
        Tty: request.tty,
        Cmd: request.cmd,
        Env: request.env,
        User: request.user,
        WorkingDir: request.workingDir,
        Privileged: request.privileged,
      },
      action: `run a command in container ${id}`,
    });
    const { socket, head } = await this.http.hijack(`/exec/${created.Id}/start`, {
      body: { Detach: false, Tty: request.tty },
      action: `run a command in container ${id}`,
      signal: request.signal,
    });
    if (request.tty && request.size) await this.resizeExec(created.Id, request.size).catch(() => undefined);
    await this.pump(socket, head, request);
    const inspected = await this.http.json<{ ExitCode: number | null }>('GET', `/exec/${created.Id}/json`, {
      action: `read the exit code of a command in container ${id}`,
    });
    return inspected.ExitCode ?? 0;
  }

  async resizeExec(execId: string, size: { rows: number; columns: number }): Promise<void> {
    await this.http.json('POST', `/exec/${execId}/resize`, {
      query: { h: size.rows, w: size.columns },
      action: 'resize the terminal of a command',
    });
  }

  async attachContainer(id: string, request: AttachRequest): Promise<{ done: Promise<void> }> {
    const { socket, head } = await this.http.hijack(`/containers/${path(id)}/attach`, {
      query: { stream: 1, stdout: 1, stderr: 1, stdin: request.stdin ? 1 : undefined, logs: 0 },
      action: `attach to container ${id}`,
      signal: request.signal,
    });
    return { done: this.pump(socket, head, request) };
  }

  /** Wires a hijacked connection to the caller's streams; resolves when the engine closes it. */
  private async pump(
    socket: Socket,
    head: Buffer,
    request: {
      stdin?: Readable;
      stdout: NodeJS.WritableStream;
      stderr: NodeJS.WritableStream;
      tty: boolean;
      signal?: AbortSignal;
    },
  ): Promise<void> {
    const onAbort = () => socket.destroy();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    if (request.stdin) {
      request.stdin.on('data', (chunk: Buffer) => socket.write(chunk));
      // non-TTY: end of input closes the command's stdin; a TTY keeps it open until the command ends
      if (!request.tty) request.stdin.once('end', () => socket.end());
    }
    async function* source() {
      if (head.length) yield head;
      for await (const chunk of socket) yield chunk as Buffer;
    }
    try {
      if (request.tty) for await (const chunk of source()) request.stdout.write(chunk);
      else
        for await (const frame of demux(source()))
          (frame.stream === 'stderr' ? request.stderr : request.stdout).write(frame.data);
    } catch (error) {
      if (!request.signal?.aborted) throw error;
    } finally {
      request.signal?.removeEventListener('abort', onAbort);
      request.stdin?.pause();
      socket.destroy();
    }
  }

  async putArchive(
    id: string,
    target: string,
    archive: Readable,
    options: { copyUidGid?: boolean } = {},
  ): Promise<void> {
    await this.http.json('PUT', `/containers/${path(id)}/archive`, {
      query: { path: target, copyUIDGID: options.copyUidGid ? 'true' : undefined },
      stream: archive,
      headers: { 'Content-Type': 'application/x-tar' },
      action: `copy files into container ${id}`,
    });
  }

  async getArchive(id: string, target: string, signal?: AbortSignal): Promise<Readable> {
    return this.http.request('GET', `/containers/${path(id)}/archive`, {
      query: { path: target },
      action: `copy files out of container ${id}`,
      signal,
    });
  }

  async statPath(id: string, target: string): Promise<ContainerPathStat | undefined> {
    const res = await this.http.request('HEAD', `/containers/${path(id)}/archive`, {
      query: { path: target },
      action: `look at ${target} in container ${id}`,
      accept: [404],
    });
    res.resume();
    const header = res.headers['x-docker-container-path-stat'];
    if (res.statusCode === 404 || typeof header !== 'string') return undefined;
    return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as ContainerPathStat;
  }

  /**
   * Who holds a host port (`127.0.0.1:8080`): `container web-1`, or `process nginx (pid 42)` when the
   * engine runs on this host; undefined when unknown.
   */
  async portHolder(address: string): Promise<string | undefined> {
    const port = Number(address.slice(address.lastIndexOf(':') + 1));
    if (!Number.isInteger(port) || port <= 0) return undefined;
    const holder = (await this.listContainers({ label: [] })).find((c) =>
      c.ports.some((p) => p.publicPort === port),
    );
    if (holder) return `container ${holder.name}`;
    // the processes of a remote engine's host are not ours to see
    return this.endpoint.socketPath ? hostProcessOnPort(port) : undefined;
  }

  async listNetworks(filter?: LabelFilter): Promise<NetworkSummary[]> {
    const raw = await this.http.json<RawNetwork[]>('GET', '/networks', {
      query: filters(filter),
      action: 'list networks',
    });
    return raw.map(toNetwork);
  }

  async inspectNetwork(idOrName: string): Promise<NetworkSummary | undefined> {
    try {
      const raw = await this.http.json<RawNetwork>('GET', `/networks/${path(idOrName)}`, {
        action: `inspect network ${idOrName}`,
      });
      // the engine also matches id prefixes: a network named "db" must not match id "db90..."
      if (raw.Name !== idOrName && !raw.Id.startsWith(idOrName)) return undefined;
      return toNetwork(raw);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async createNetwork(spec: NetworkCreateSpec): Promise<string> {
    const res = await this.http.json<{ Id: string }>('POST', '/networks/create', {
      body: { CheckDuplicate: true, ...spec },
      action: `create network ${spec.Name}`,
    });
    return res.Id;
  }

  async removeNetwork(idOrName: string): Promise<void> {
    await this.http.json('DELETE', `/networks/${path(idOrName)}`, { action: `remove network ${idOrName}` });
  }

  async connectNetwork(network: string, container: string, endpoint?: EndpointSpec): Promise<void> {
    await this.http.json('POST', `/networks/${path(network)}/connect`, {
      body: { Container: container, EndpointConfig: endpoint },
      action: `connect container ${container} to network ${network}`,
    });
  }

  async disconnectNetwork(network: string, container: string, force?: boolean): Promise<void> {
    await this.http.json('POST', `/networks/${path(network)}/disconnect`, {
      body: { Container: container, Force: !!force },
      action: `disconnect container ${container} from network ${network}`,
    });
  }

  async listVolumes(filter: LabelFilter): Promise<VolumeSummary[]> {
    const raw = await this.http.json<{ Volumes: RawVolume[] | null }>('GET', '/volumes', {
      query: filters(filter),
      action: 'list volumes',
    });
    return (raw.Volumes ?? []).map(toVolume);
  }

  async inspectVolume(name: string): Promise<VolumeSummary | undefined> {
    try {
      return toVolume(
        await this.http.json<RawVolume>('GET', `/volumes/${path(name)}`, {
          action: `inspect volume ${name}`,
        }),
      );
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async createVolume(spec: VolumeCreateSpec): Promise<VolumeSummary> {
    return toVolume(
      await this.http.json<RawVolume>('POST', '/volumes/create', {
        body: spec,
        action: `create volume ${spec.Name}`,
      }),
    );
  }

  async removeVolume(name: string): Promise<void> {
    await this.http.json('DELETE', `/volumes/${path(name)}`, { action: `remove volume ${name}` });
  }

  async listImages(filter?: LabelFilter): Promise<ImageSummary[]> {
    const raw = await this.http.json<RawImage[]>('GET', '/images/json', {
      query: filters(filter),
      action: 'list images',
    });
    return raw.map(toImage);
  }

  async inspectImage(ref: string): Promise<ImageSummary | undefined> {
    try {
      return toImage(
        await this.http.json<RawImage>('GET', `/images/${path(ref)}/json`, {
          action: `inspect image ${ref}`,
        }),
      );
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async removeImage(ref: string, options?: { force?: boolean }): Promise<void> {
    // noprune, as Compose sends it: the untagged parent layers are the classic builder's cache
    await this.http.json('DELETE', `/images/${path(ref)}`, {
      query: { force: options?.force ? 1 : undefined, noprune: 1 },
      action: `remove image ${ref}`,
    });
  }

  async tagImage(ref: string, repo: string, tag: string): Promise<void> {
    await this.http.json('POST', `/images/${path(ref)}/tag`, {
      query: { repo, tag },
      action: `tag image ${ref}`,
    });
  }

  async pullImage(ref: string, signal?: AbortSignal): Promise<void> {
    const at = ref.lastIndexOf(':');
    const tagged = at > ref.lastIndexOf('/') && !ref.includes('@');
    const res = await this.http.request('POST', '/images/create', {
      query: { fromImage: tagged ? ref.slice(0, at) : ref, tag: tagged ? ref.slice(at + 1) : 'latest' },
      action: `pull image ${ref}`,
      signal,
      longLived: true,
    });
    for await (const line of lines(res)) {
      if (!line.trim()) continue;
      const message = JSON.parse(line) as { error?: string };
      if (message.error)
        throw new TsComposeError(`cannot pull image ${ref}: ${message.error}`, {
          code: 'engine.pull-failed',
        });
    }
  }

  async *buildImage(request: BuildImageRequest): AsyncIterable<BuildMessage> {
    // the classic builder call lives in build-image.ts (owned by the build work) and needs dockerode,
    // loaded here only when something is built
    const [{ default: Docker }, { buildImage }] = await Promise.all([
      import('dockerode'),
      import('./build-image.js'),
    ]);
    const { socketPath, host, port, tls } = this.endpoint;
    const docker = new Docker({
      socketPath,
      host,
      port,
      protocol: tls ? 'https' : socketPath ? undefined : 'http',
      ca: tls?.ca,
      cert: tls?.cert,
      key: tls?.key,
      version: `v${await this.apiVersion()}`,
    });
    yield* buildImage(docker, request);
  }

  events(
    filters: Record<string, string[]>,
    options?: { since?: number; signal?: AbortSignal },
  ): AsyncIterable<EngineEvent> {
    const follow = () => this.followEvents(filters, options);
    return {
      async *[Symbol.asyncIterator]() {
        const subscription = await follow();
        try {
          yield* subscription;
        } finally {
          subscription.close();
        }
      },
    };
  }

  async followEvents(
    eventFilters: Record<string, string[]>,
    options?: { since?: number; signal?: AbortSignal },
  ): Promise<EventSubscription> {
    const controller = new AbortController();
    const outer = options?.signal;
    const onAbort = () => controller.abort();
    outer?.addEventListener('abort', onAbort, { once: true });
    const res = await this.http.request('GET', '/events', {
      query: { filters: eventFilters, since: options?.since },
      action: 'follow engine events',
      signal: controller.signal,
      longLived: true,
    });
    const translate = this.http.translate.bind(this.http);
    const close = () => {
      outer?.removeEventListener('abort', onAbort);
      controller.abort();
      res.destroy();
    };
    return {
      close,
      async *[Symbol.asyncIterator]() {
        try {
          for await (const line of lines(res)) {
            if (!line.trim()) continue;
            const e = JSON.parse(line) as {
              Type: string;
              Action: string;
              Actor?: { ID?: string; Attributes?: Record<string, string> };
              time: number;
              timeNano?: number;
            };
            yield {
              type: e.Type,
              action: e.Action,
              id: e.Actor?.ID ?? '',
              attributes: e.Actor?.Attributes ?? {},
              time: e.timeNano ? e.timeNano / 1e6 : e.time * 1000,
            };
          }
        } catch (error) {
          if (!controller.signal.aborted)
            throw translate(error as NodeJS.ErrnoException, undefined, 'follow engine events');
        } finally {
          close();
        }
      },
    };
  }
}
