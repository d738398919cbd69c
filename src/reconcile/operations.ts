import type { NetworkCreateSpec, VolumeCreateSpec } from '../engine/engine.js';
import type { ContainerPlan } from './convert.js';

/**
 * A Plan: what to do to the engine, as data. Operations form a DAG through `after` (ids of the
 * operations that must finish first); the executor walks it concurrently and decides nothing.
 */

/** A container an operation acts on: by id when it exists already, by name when the plan creates it. */
export interface ContainerTarget {
  name: string;
  service: string;
  number: number;
  id?: string;
}

/**
 * What a wait operation waits for:
 * `healthy` (service_healthy), `completed` (service_completed_successfully: exited with 0),
 * `running` (started and still up), `ready` (`up --wait`: healthy if it has a health check, else running).
 */
export type WaitCondition = 'healthy' | 'completed' | 'running' | 'ready';

export type OperationBody =
  | { kind: 'create-network'; name: string; key: string; spec: NetworkCreateSpec }
  | { kind: 'remove-network'; name: string }
  | { kind: 'create-volume'; name: string; key: string; spec: VolumeCreateSpec }
  | { kind: 'remove-volume'; name: string }
  | { kind: 'build-image'; service: string; image: string; reason?: string }
  | { kind: 'pull-image'; service: string; image: string }
  | { kind: 'remove-image'; image: string }
  | { kind: 'create-container'; container: ContainerTarget; plan: ContainerPlan }
  | {
      kind: 'recreate-container';
      container: ContainerTarget;
      /** The running container being replaced (its id and name). */
      replaces: { id: string; name: string };
      /** Why, in words: `environment.DB_HOST changed`, `image changed`. */
      reasons: string[];
      plan: ContainerPlan;
      timeoutSeconds?: number;
    }
  | { kind: 'start-container'; container: ContainerTarget }
  | { kind: 'restart-container'; container: ContainerTarget; reason: string; timeoutSeconds?: number }
  | { kind: 'stop-container'; container: ContainerTarget; timeoutSeconds?: number }
  | { kind: 'remove-container'; container: ContainerTarget; volumes: boolean }
  | { kind: 'kill-container'; container: ContainerTarget; signal?: string }
  | { kind: 'pause-container'; container: ContainerTarget }
  | { kind: 'unpause-container'; container: ContainerTarget }
  | {
      kind: 'wait-container';
      container: ContainerTarget;
      condition: WaitCondition;
      /** The services that wait for it (empty for `up --wait`). */
      dependents: string[];
      /** `required: false` dependencies: a failure is a warning. */
      required: boolean;
    }
  /** A container that already matches: nothing to call, reported as it is. */
  | { kind: 'keep-container'; container: ContainerTarget; state: string };

export type Operation = OperationBody & { id: string; after: string[] };

export interface Plan {
  project: string;
  operations: Operation[];
  warnings: string[];
}

export type OperationKind = Operation['kind'];

/** Operations that change nothing (kept containers): a plan of only these is "nothing to do". */
export const changesSomething = (op: Operation) => op.kind !== 'keep-container';
