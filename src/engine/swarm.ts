/**
 * The Swarm part of the Engine port: what `deploy`, `undeploy` and `stack ps/services` ask of a
 * Docker engine that manages a swarm. Kept apart from engine.ts so that the container port stays
 * the same for everyone; docker-swarm.ts implements it on the same node:http client.
 *
 * Request bodies (ServiceSpec, SecretSpec, ...) are the Engine API's JSON, field for field
 * (https://docs.docker.com/engine/api/v1.41/#tag/Service); answers are reduced to what tscompose reads.
 * Durations are nanoseconds, as the API takes them.
 */
import type { LabelFilter, Labels } from './engine.js';

/** Where this engine stands in a swarm (`docker info`'s Swarm section). */
export interface SwarmState {
  /** `inactive` (not in a swarm), `pending`, `active`, `error`, `locked`. */
  localNodeState: string;
  nodeId: string;
  /** This node is a manager: it can create services. */
  controlAvailable: boolean;
  nodes: number;
  managers: number;
}

export interface SwarmNode {
  id: string;
  hostname: string;
  role: 'manager' | 'worker' | string;
  /** `ready`, `down`, `unknown`, `disconnected`. */
  state: string;
  /** `active`, `pause`, `drain`. */
  availability: string;
}

export interface HealthConfigSpec {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  Retries?: number;
  StartPeriod?: number;
  StartInterval?: number;
}

export interface MountSpec {
  Type: 'volume' | 'bind' | 'tmpfs' | 'npipe';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: { Propagation?: string };
  VolumeOptions?: {
    NoCopy?: boolean;
    Labels?: Labels;
    DriverConfig?: { Name?: string; Options?: Record<string, string> };
  };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

/** A secret or config mounted as a file. The executor fills the id from the name. */
export interface FileReferenceSpec {
  File: { Name: string; UID: string; GID: string; Mode: number };
}
export type SecretReferenceSpec = FileReferenceSpec & { SecretName: string; SecretID?: string };
export type ConfigReferenceSpec = FileReferenceSpec & { ConfigName: string; ConfigID?: string };

export interface ContainerSpec {
  Image: string;
  Labels?: Labels;
  /** The entrypoint. */
  Command?: string[];
  /** The command (arguments to the entrypoint). */
  Args?: string[];
  Hostname?: string;
  Env?: string[];
  Dir?: string;
  User?: string;
  Groups?: string[];
  TTY?: boolean;
  OpenStdin?: boolean;
  ReadOnly?: boolean;
  Mounts?: MountSpec[];
  StopSignal?: string;
  StopGracePeriod?: number;
  Healthcheck?: HealthConfigSpec;
  /** `IP host...` lines, as /etc/hosts has them. */
  Hosts?: string[];
  DNSConfig?: { Nameservers?: string[]; Search?: string[]; Options?: string[] };
  Secrets?: SecretReferenceSpec[];
  Configs?: ConfigReferenceSpec[];
  Init?: boolean;
  Sysctls?: Record<string, string>;
  CapabilityAdd?: string[];
  CapabilityDrop?: string[];
  Ulimits?: { Name: string; Soft: number; Hard: number }[];
  Isolation?: string;
}

export interface ResourcesSpec {
  NanoCPUs?: number;
  MemoryBytes?: number;
  Pids?: number;
}

export interface UpdateConfigSpec {
  Parallelism: number;
  Delay?: number;
  FailureAction?: 'continue' | 'pause' | 'rollback' | string;
  Monitor?: number;
  MaxFailureRatio?: number;
  Order?: 'stop-first' | 'start-first' | string;
}

export interface PortConfigSpec {
  Name?: string;
  Protocol: 'tcp' | 'udp' | 'sctp' | string;
  TargetPort: number;
  PublishedPort?: number;
  PublishMode: 'ingress' | 'host';
}

export interface NetworkAttachmentSpec {
  /** A network name (the engine stores its id instead). */
  Target: string;
  Aliases?: string[];
  DriverOpts?: Record<string, string>;
}

export interface ServiceSpec {
  Name: string;
  Labels?: Labels;
  TaskTemplate: {
    ContainerSpec: ContainerSpec;
    Resources?: { Limits?: ResourcesSpec; Reservations?: Omit<ResourcesSpec, 'Pids'> };
    RestartPolicy?: {
      Condition?: 'none' | 'on-failure' | 'any' | string;
      Delay?: number;
      MaxAttempts?: number;
      Window?: number;
    };
    Placement?: {
      Constraints?: string[];
      Preferences?: { Spread: { SpreadDescriptor: string } }[];
      MaxReplicas?: number;
    };
    Networks?: NetworkAttachmentSpec[];
    LogDriver?: { Name?: string; Options?: Record<string, string> };
    /** A counter: raising it redeploys every task (`docker service update --force`). */
    ForceUpdate?: number;
    /** `container`, as the engine fills it in. */
    Runtime?: string;
  };
  Mode: { Replicated: { Replicas: number } } | { Global: Record<string, never> };
  UpdateConfig?: UpdateConfigSpec;
  RollbackConfig?: UpdateConfigSpec;
  EndpointSpec?: { Mode?: 'vip' | 'dnsrr'; Ports?: PortConfigSpec[] };
}

/** `completed`, `updating`, `paused`, `rollback_started`, `rollback_paused`, `rollback_completed`. */
export interface ServiceUpdateStatus {
  state: string;
  message: string;
  startedAt?: string;
  completedAt?: string;
}

export interface SwarmService {
  id: string;
  /** The object version: updates must name it. */
  version: number;
  createdAt: string;
  updatedAt: string;
  /** As the engine stores it: network targets are ids, secrets and configs carry their ids. */
  spec: ServiceSpec;
  /** The ports the engine published (with the ones it chose for unpublished targets). */
  endpointPorts: PortConfigSpec[];
  updateStatus?: ServiceUpdateStatus;
  /** Running and desired task counts (`GET /services?status=true`, API 1.41). */
  runningTasks?: number;
  desiredTasks?: number;
}

/** new, allocated, pending, assigned, accepted, preparing, ready, starting, running, complete, shutdown, failed, rejected, remove, orphaned. */
export type TaskState = string;

export interface SwarmTask {
  id: string;
  serviceId: string;
  /** Replica number (replicated services); 0 for global ones. */
  slot: number;
  nodeId: string;
  createdAt: string;
  updatedAt: string;
  desiredState: TaskState;
  state: TaskState;
  /** The engine's words for the state: `started`, `starting`, `task: non-zero exit (1)`. */
  message: string;
  /** Why the task failed, when it did. */
  error: string;
  /** When the task reached its state. */
  timestamp: string;
  containerId?: string;
  exitCode?: number;
  /** The task's ContainerSpec, a copy of the service's when the task was made. */
  containerSpec: ContainerSpec;
  ports: PortConfigSpec[];
}

export interface SwarmObject {
  id: string;
  name: string;
  labels: Labels;
  createdAt: string;
}

export interface SecretSpec {
  Name: string;
  Labels?: Labels;
  /** Base64 of the content. */
  Data: string;
  Driver?: { Name: string; Options?: Record<string, string> };
  Templating?: { Name: string };
}
export type ConfigSpec = Omit<SecretSpec, 'Driver'>;

/** The image as a swarm can run it: its id here, and its registry digests when it was pushed or pulled. */
export interface ImageIdentity {
  id: string;
  /** `repo@sha256:...` */
  repoDigests: string[];
}

export interface TaskFilter {
  /** Service names or ids. */
  service?: string[];
  desiredState?: ('running' | 'shutdown' | 'accepted')[];
}

export interface SwarmEngine {
  /** This engine's place in a swarm (from `GET /info`). */
  swarmState(): Promise<SwarmState>;
  listNodes(): Promise<SwarmNode[]>;

  /** Services matching the labels, with their task counts. */
  listServices(filter: LabelFilter): Promise<SwarmService[]>;
  inspectService(idOrName: string): Promise<SwarmService | undefined>;
  createService(spec: ServiceSpec): Promise<{ id: string; warnings: string[] }>;
  /** Replaces the spec of the service at `version`; a newer version on the engine is a conflict. */
  updateService(id: string, version: number, spec: ServiceSpec): Promise<{ warnings: string[] }>;
  removeService(idOrName: string): Promise<void>;
  listTasks(filter: TaskFilter): Promise<SwarmTask[]>;

  /** All secrets when no filter is given (names and labels only: the engine never returns data). */
  listSecrets(filter?: LabelFilter): Promise<SwarmObject[]>;
  createSecret(spec: SecretSpec): Promise<string>;
  removeSecret(idOrName: string): Promise<void>;
  listConfigs(filter?: LabelFilter): Promise<SwarmObject[]>;
  createConfig(spec: ConfigSpec): Promise<string>;
  removeConfig(idOrName: string): Promise<void>;

  /** The image's id and registry digests, or undefined when the engine does not have it. */
  imageIdentity(ref: string): Promise<ImageIdentity | undefined>;
}
