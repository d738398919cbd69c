/**
 * The Engine port: everything tscompose asks of a Docker engine, in our own types. The dockerode
 * adapter (docker-engine.ts) implements it and is the only place that knows dockerode; engine
 * errors are translated there into TsComposeErrors with codes such as `engine.unreachable`,
 * `engine.not-found`, `engine.conflict`, `engine.port-in-use`.
 *
 * Request bodies (ContainerCreateSpec, NetworkCreateSpec, ...) follow the Engine API's JSON, which is
 * stable and documented; results are reduced to what tscompose reads.
 */
import type { Readable, Writable } from 'node:stream';

export type Labels = Record<string, string>;

/** Label filters as the Engine API takes them: `key` (present) or `key=value`. */
export interface LabelFilter {
  label: string[];
}

export interface EngineVersion {
  version: string;
  apiVersion: string;
  os: string;
  arch: string;
}

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface ContainerSummary {
  id: string;
  /** Without the leading slash. */
  name: string;
  image: string;
  imageId: string;
  labels: Labels;
  state: ContainerState;
  /** Human status text, e.g. `Up 3 minutes (healthy)`. */
  status: string;
  created: number;
  /** The command line as `docker ps` shows it. */
  command: string;
  ports: { privatePort: number; publicPort?: number; type: string; ip?: string }[];
  networks: string[];
  /** From the status text (`Up 3 minutes (healthy)`); undefined when the container has no health check. */
  health?: HealthStatus;
  mounts: MountPoint[];
}

export interface MountPoint {
  type: string;
  /** Volume name (a 64-hex id for anonymous volumes); absent for binds. */
  name?: string;
  source: string;
  destination: string;
  rw: boolean;
}

export type HealthStatus = 'none' | 'starting' | 'healthy' | 'unhealthy';

export interface HealthLogEntry {
  start: string;
  end: string;
  exitCode: number;
  output: string;
}

export interface ContainerDetails {
  id: string;
  name: string;
  image: string;
  imageId: string;
  labels: Labels;
  state: {
    status: ContainerState;
    running: boolean;
    exitCode: number;
    error: string;
    startedAt: string;
    finishedAt: string;
    restarting: boolean;
    oomKilled: boolean;
    pid: number;
    health?: { status: HealthStatus; failingStreak: number; log: HealthLogEntry[] };
  };
  restartCount: number;
  /** HostConfig.RestartPolicy.Name: `no` (or empty), `always`, `unless-stopped`, `on-failure`. */
  restartPolicy?: string;
  mounts: MountPoint[];
  config: {
    image: string;
    cmd: string[] | null;
    entrypoint: string[] | null;
    tty: boolean;
    openStdin: boolean;
    user: string;
    workingDir: string;
    /** Durations in nanoseconds, as the Engine API gives them. */
    healthcheck?: {
      test?: string[];
      interval?: number;
      timeout?: number;
      retries?: number;
      startPeriod?: number;
    };
  };
  networks: Record<string, { ipAddress: string; aliases: string[]; networkId: string }>;
  /** The raw Config.Env of the container. */
  env: string[];
}

/** The Engine API's container create body (Config with HostConfig and NetworkingConfig inside). */
export interface ContainerCreateSpec {
  name: string;
  Image: string;
  Labels?: Labels;
  Env?: string[];
  Cmd?: string[] | null;
  Entrypoint?: string[] | null;
  WorkingDir?: string;
  User?: string;
  Hostname?: string;
  Domainname?: string;
  ExposedPorts?: Record<string, object>;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  StopSignal?: string;
  StopTimeout?: number;
  Healthcheck?: {
    Test?: string[];
    Interval?: number;
    Timeout?: number;
    Retries?: number;
    StartPeriod?: number;
    StartInterval?: number;
  };
  Volumes?: Record<string, object>;
  MacAddress?: string;
  HostConfig?: Record<string, unknown>;
  NetworkingConfig?: { EndpointsConfig?: Record<string, EndpointSpec> };
}

export interface EndpointSpec {
  Aliases?: string[];
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[] };
  DriverOpts?: Record<string, string>;
  MacAddress?: string;
}

export interface NetworkSummary {
  id: string;
  name: string;
  driver: string;
  labels: Labels;
  /** Container id → endpoint, present when inspected. */
  containers?: Record<string, { name: string }>;
}

export interface NetworkCreateSpec {
  Name: string;
  Driver?: string;
  Options?: Record<string, string>;
  IPAM?: {
    Driver?: string;
    Config?: {
      Subnet?: string;
      Gateway?: string;
      IPRange?: string;
      AuxiliaryAddresses?: Record<string, string>;
    }[];
    Options?: Record<string, string>;
  };
  Internal?: boolean;
  Attachable?: boolean;
  EnableIPv6?: boolean;
  Labels?: Labels;
  CheckDuplicate?: boolean;
}

export interface VolumeSummary {
  name: string;
  driver: string;
  labels: Labels;
  mountpoint: string;
  options: Record<string, string>;
}

export interface VolumeCreateSpec {
  Name: string;
  Driver?: string;
  DriverOpts?: Record<string, string>;
  Labels?: Labels;
}

export interface ImageSummary {
  id: string;
  repoTags: string[];
  labels: Labels;
  created: number;
  size: number;
}

/** An engine event (`docker events`), reduced to what waits and watches read. */
export interface EngineEvent {
  type: 'container' | 'network' | 'volume' | 'image' | string;
  /** `start`, `die`, `health_status: healthy`, `destroy`, ... as the engine sends it. */
  action: string;
  id: string;
  attributes: Record<string, string>;
  /** Milliseconds since the epoch. */
  time: number;
}

export interface BuildImageRequest {
  /** The build context as a tar stream (never buffered whole). */
  context: Readable;
  /** Path of the Dockerfile inside the context tar. */
  dockerfile: string;
  tags: string[];
  buildArgs?: Record<string, string>;
  target?: string;
  labels?: Labels;
  cacheFrom?: string[];
  noCache?: boolean;
  pull?: boolean;
  networkMode?: string;
  shmSize?: number;
  extraHosts?: string[];
  signal?: AbortSignal;
}

/** One message of a classic-builder build stream, decoded from the engine's JSON lines. */
export type BuildMessage =
  | { kind: 'stream'; text: string }
  | { kind: 'status'; text: string }
  | { kind: 'error'; message: string; code?: number }
  | { kind: 'image-id'; id: string };

export interface LogsRequest {
  follow?: boolean;
  tail?: number | 'all';
  since?: string;
  until?: string;
  timestamps?: boolean;
  signal?: AbortSignal;
}

export interface LogLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

/** `HEAD /containers/{id}/archive`: the entry at a path inside a container. */
export interface ContainerPathStat {
  name: string;
  size: number;
  /** Go's os.FileMode bits: permissions in the low 9 bits, the type in the high bits (dir: 1 << 31). */
  mode: number;
  mtime: string;
  /** The target of a symlink; empty otherwise. */
  linkTarget: string;
}

export interface ExecRequest {
  cmd: string[];
  env?: string[];
  user?: string;
  workingDir?: string;
  tty: boolean;
  privileged?: boolean;
  stdin?: Readable;
  stdout: Writable;
  stderr: Writable;
  signal?: AbortSignal;
  /** Initial terminal size of a TTY command. */
  size?: { rows: number; columns: number };
}

/** A followed `GET /events`: iterate it; `close()` ends it. */
export interface EventSubscription extends AsyncIterable<EngineEvent> {
  close(): void;
}

/** What `docker top` shows: column titles and one row per process. */
export interface ProcessList {
  titles: string[];
  processes: string[][];
}

export interface AttachRequest {
  stdin?: Readable;
  stdout: Writable;
  stderr: Writable;
  /** The container was created with a TTY: one raw stream instead of multiplexed stdout/stderr. */
  tty: boolean;
  signal?: AbortSignal;
}

export interface Engine {
  version(): Promise<EngineVersion>;
  /** The API version both sides speak (negotiated on first use, or DOCKER_API_VERSION). */
  apiVersion(): Promise<string>;
  /** Releases idle connections; followed streams end with their own signal. */
  close(): void;

  listContainers(filter: LabelFilter & { all?: boolean }): Promise<ContainerSummary[]>;
  inspectContainer(id: string): Promise<ContainerDetails>;
  createContainer(spec: ContainerCreateSpec): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** Stops with the engine's grace period logic; `timeoutSeconds` overrides the container's. */
  stopContainer(id: string, timeoutSeconds?: number): Promise<void>;
  killContainer(id: string, signal?: string): Promise<void>;
  restartContainer(id: string, timeoutSeconds?: number): Promise<void>;
  pauseContainer(id: string): Promise<void>;
  unpauseContainer(id: string): Promise<void>;
  removeContainer(id: string, options?: { force?: boolean; volumes?: boolean }): Promise<void>;
  renameContainer(id: string, name: string): Promise<void>;
  containerLogs(id: string, request: LogsRequest): AsyncIterable<LogLine>;
  /** Runs a command in a running container and resolves with its exit code. */
  exec(id: string, request: ExecRequest): Promise<number>;
  /**
   * Extracts a tar stream into the container at `path` (watch sync, injected secrets and configs; no
   * tar needed in the image). Entries are owned by the container's root unless `copyUidGid` keeps the
   * archive's owners.
   */
  putArchive(id: string, path: string, archive: Readable, options?: { copyUidGid?: boolean }): Promise<void>;
  /** A tar stream of `path` in the container, entries named from its base name (watch's initial sync). */
  getArchive(id: string, path: string, signal?: AbortSignal): Promise<Readable>;
  /** What is at `path` in the container (symlinks not followed), or undefined when nothing is. */
  statPath(id: string, path: string): Promise<ContainerPathStat | undefined>;

  /**
   * Waits until the container stops and returns its exit code. `next-exit` (for a container about
   * to be started) waits for the coming exit; `not-running` returns at once for a stopped one.
   */
  waitContainer(
    id: string,
    options?: { condition?: 'not-running' | 'next-exit' | 'removed'; signal?: AbortSignal },
  ): Promise<number>;
  /**
   * Attaches to a container's streams (before or after start) and resolves once attached with a
   * promise that settles when the streams end.
   */
  attachContainer(id: string, request: AttachRequest): Promise<{ done: Promise<void> }>;
  resizeContainer(id: string, rows: number, columns: number): Promise<void>;
  topContainer(id: string, psArgs?: string): Promise<ProcessList>;

  /** All networks when no filter is given. */
  listNetworks(filter?: LabelFilter): Promise<NetworkSummary[]>;
  inspectNetwork(idOrName: string): Promise<NetworkSummary | undefined>;
  createNetwork(spec: NetworkCreateSpec): Promise<string>;
  removeNetwork(idOrName: string): Promise<void>;
  connectNetwork(network: string, container: string, endpoint?: EndpointSpec): Promise<void>;
  disconnectNetwork(network: string, container: string, force?: boolean): Promise<void>;

  listVolumes(filter: LabelFilter): Promise<VolumeSummary[]>;
  inspectVolume(name: string): Promise<VolumeSummary | undefined>;
  createVolume(spec: VolumeCreateSpec): Promise<VolumeSummary>;
  removeVolume(name: string): Promise<void>;

  listImages(filter?: LabelFilter): Promise<ImageSummary[]>;
  inspectImage(ref: string): Promise<ImageSummary | undefined>;
  removeImage(ref: string, options?: { force?: boolean }): Promise<void>;
  tagImage(ref: string, repo: string, tag: string): Promise<void>;
  pullImage(ref: string, signal?: AbortSignal): Promise<void>;
  buildImage(request: BuildImageRequest): AsyncIterable<BuildMessage>;

  /** Engine events matching the filters, from now (or `since`) until the signal aborts. */
  events(
    filters: Record<string, string[]>,
    options?: { since?: number; signal?: AbortSignal },
  ): AsyncIterable<EngineEvent>;
  /**
   * Like `events`, but resolves only once the engine has accepted the subscription: anything that
   * happens afterwards is delivered (waits subscribe first, then look, so no change is missed).
   */
  followEvents(
    filters: Record<string, string[]>,
    options?: { since?: number; signal?: AbortSignal },
  ): Promise<EventSubscription>;
}
