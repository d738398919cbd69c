import type { Labels } from '../engine/engine.js';
import { BUILD_DIGEST_LABEL } from './digest.js';

/**
 * Which images `up` builds: `missing` (the default: only images that are not there), `always`
 * (`--build`), `never` (`--no-build`), `changed` (`--build=changed`: missing ones and those whose
 * sources changed since they were built).
 */
export type BuildPolicy = 'missing' | 'always' | 'never' | 'changed';

/** What is known of one buildable service's image. */
export interface ServiceBuildState {
  service: string;
  /** The labels of the service's image on the engine; undefined when there is no such image. */
  imageLabels: Labels | undefined;
  /** The digest of the service's sources now (buildDigest); undefined when not computed. */
  digest?: string;
  /** Services of the project whose image this one's Dockerfile starts from (FROM, COPY --from). */
  baseServices: readonly string[];
  /** `pull_policy: build` means "always build", as in Compose. */
  pullPolicy?: string;
}

/** Where an image stands against its sources. */
export type SourceStatus = 'missing' | 'up-to-date' | 'changed' | 'unknown';

export type BuildReason =
  /** `--build` or `tscompose build`. */
  | 'forced'
  | 'missing'
  /** The sources (context, Dockerfile, build settings) differ from the image's digest label. */
  | 'changed'
  /** The image carries no digest label (built by another tool): its sources cannot be compared. */
  | 'unknown-sources'
  /** A service whose image this one starts from is rebuilt. */
  | 'base-rebuilt'
  | 'pull-policy';

/** Words for a reason, as `up` prints them next to the service. */
export function describeReason(reason: BuildReason): string {
  switch (reason) {
    case 'forced':
      return 'build requested';
    case 'missing':
      return 'image missing';
    case 'changed':
      return 'sources changed since the image was built';
    case 'unknown-sources':
      return 'image has no source digest';
    case 'base-rebuilt':
      return 'its base image is rebuilt';
    case 'pull-policy':
      return 'pull_policy: build';
    default: {
      const never: never = reason;
      return never;
    }
  }
}

/** Compares an image with its sources; `unknown` when the image has no digest or none was computed. */
export function sourceStatus(state: ServiceBuildState): SourceStatus {
  if (!state.imageLabels) return 'missing';
  const built = state.imageLabels[BUILD_DIGEST_LABEL];
  if (!built || state.digest === undefined) return 'unknown';
  return built === state.digest ? 'up-to-date' : 'changed';
}

/**
 * The services to build under a policy, each with its reason. Pure. Under `changed`, a service whose
 * base service is rebuilt is rebuilt too (its image would otherwise keep the old base).
 */
export function decideBuilds(
  states: readonly ServiceBuildState[],
  policy: BuildPolicy,
): Map<string, BuildReason> {
  const builds = new Map<string, BuildReason>();
  if (policy === 'never') return builds;
  for (const state of states) {
    if (policy === 'always') {
      builds.set(state.service, 'forced');
      continue;
    }
    const status = sourceStatus(state);
    if (status === 'missing') builds.set(state.service, 'missing');
    else if (state.pullPolicy === 'build') builds.set(state.service, 'pull-policy');
    else if (policy === 'changed' && status === 'changed') builds.set(state.service, 'changed');
    else if (policy === 'changed' && status === 'unknown') builds.set(state.service, 'unknown-sources');
  }
  if (policy === 'changed') {
    let grew = true;
    while (grew) {
      grew = false;
      for (const state of states) {
        if (builds.has(state.service)) continue;
        if (state.baseServices.some((base) => builds.has(base))) {
          builds.set(state.service, 'base-rebuilt');
          grew = true;
        }
      }
    }
  }
  return builds;
}

/**
 * The services to build for an explicit selection (`tscompose build web`): the selection, plus the
 * base services it starts from whose image is missing, so that the build cannot fail on them.
 */
export function withMissingBases(states: readonly ServiceBuildState[], selected: Iterable<string>): string[] {
  const byName = new Map(states.map((s) => [s.service, s]));
  const out = new Set<string>();
  const visit = (name: string, explicit: boolean) => {
    const state = byName.get(name);
    if (out.has(name) || !state) return;
    if (!explicit && state.imageLabels) return;
    out.add(name);
    for (const base of state.baseServices) visit(base, false);
  };
  for (const name of selected) visit(name, true);
  return [...out];
}
