import type { NetworkCreateSpec } from '../engine/engine.js';
import type { ConfigSpec, SecretSpec, ServiceSpec } from '../engine/swarm.js';

/**
 * A deploy (or undeploy) plan: what to do to the swarm, as data. Operations form a DAG through
 * `after`; the executor walks it and decides nothing. Secret and config bodies carry their content
 * (base64): render shows names only.
 */

/**
 * What a wait operation waits for: every task of the service's current spec running, which for a
 * service with a health check means healthy (Swarm keeps a task `starting` until its check passes).
 * The condition only names why it is waited for: `healthy` (a dependent's service_healthy),
 * `running` (service_started), `converged` (`deploy --wait`).
 */
export type ServiceWaitCondition = 'healthy' | 'running' | 'converged';

export type DeployOperationBody =
  | { kind: 'create-network'; name: string; key: string; spec: NetworkCreateSpec }
  | { kind: 'create-secret'; name: string; key: string; spec: SecretSpec }
  | { kind: 'create-config'; name: string; key: string; spec: ConfigSpec }
  | { kind: 'create-service'; service: string; name: string; spec: ServiceSpec }
  | {
      kind: 'update-service';
      service: string;
      name: string;
      serviceId: string;
      /** The version observed: the engine refuses the update if the service changed since. */
      version: number;
      spec: ServiceSpec;
      /** Why, in the compose file's words: `environment.WP_TITLE changed`. */
      reasons: string[];
      /** Only the replica count changes: a scale, no task is replaced. */
      scale?: { from: number; to: number };
    }
  /** A service that already matches: nothing to call, reported as it is. */
  | { kind: 'keep-service'; service: string; name: string; serviceId: string; replicas: string }
  | {
      kind: 'wait-service';
      service: string;
      name: string;
      condition: ServiceWaitCondition;
      /** The services that wait for it (empty for `deploy --wait`). */
      dependents: string[];
    }
  | { kind: 'remove-service'; name: string; serviceId: string; reason?: string }
  /** Until the removed service's tasks have stopped (their containers hold networks and ports). */
  | { kind: 'wait-removed'; name: string; serviceId: string }
  | { kind: 'remove-network'; name: string }
  /** `ifUnused`: an object another service still mounts is kept (old content of a secret or config). */
  | { kind: 'remove-secret'; name: string; objectId: string; ifUnused: boolean }
  | { kind: 'remove-config'; name: string; objectId: string; ifUnused: boolean };

export type DeployOperation = DeployOperationBody & { id: string; after: string[] };

export interface DeployPlan {
  stack: string;
  operations: DeployOperation[];
  /** What Swarm cannot honour and other things to know before deploying, one line each. */
  warnings: string[];
  /** Ids of the secrets and configs that exist, by name: the executor fills references with them. */
  secretIds: Record<string, string>;
  configIds: Record<string, string>;
}

export const changesSomething = (op: DeployOperation) =>
  op.kind !== 'keep-service' && op.kind !== 'wait-service';
