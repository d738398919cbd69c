import { throwIfAborted } from '../core/abort.js';
import { systemClock, type Clock } from '../core/clock.js';
import { TsComposeError } from '../core/errors.js';
import type { ProgressListener } from '../core/events.js';
import type { Project } from '../compose/model.js';
import type { BuildImageRequest, Engine } from '../engine/engine.js';
import { Dag, walk } from '../graph/dag.js';
import { prepareContext, withDockerfileText, type PreparedContext } from './context.js';
import { packContext } from './context-tar.js';
import { BUILD_DIGEST_LABEL, buildDigest, type DigestSettings } from './digest.js';
import { normalizeImageRef, referencedImages, withLabelInstruction } from './dockerfile.js';
import { BuildFailedError, buildFailure } from './failure.js';
import {
  decideBuilds,
  describeReason,
  sourceStatus,
  type SourceStatus,
  type BuildPolicy,
  type BuildReason,
  type ServiceBuildState,
} from './needs-build.js';
import { resolveBuildSpec, type BuildSettingsOptions, type ServiceBuildSpec } from './request.js';
import { BuildTranscript, type TranscriptLine } from './transcript.js';

export interface BuildServicesOptions extends BuildSettingsOptions {
  /** At most this many builds at once; default: no bound, as Compose. */
  concurrency?: number;
  clock?: Clock;
  /** Why each service is built, shown as the detail of its `Building` event. */
  reasons?: ReadonlyMap<string, BuildReason>;
}

export interface BuiltImage {
  service: string;
  image: string;
  tags: string[];
  /** `sha256:...` as the engine reports it. */
  id: string;
  /** The source digest stored in the image's BUILD_DIGEST_LABEL. */
  digest: string;
  durationMs: number;
  log: TranscriptLine[];
}

/** A service's build, resolved and with its context read. */
interface PreparedBuild {
  spec: ServiceBuildSpec;
  context: PreparedContext;
  /** Normalized references of the images its Dockerfile reads. */
  reads: string[];
}

async function prepareBuilds(
  project: Project,
  services: readonly string[],
  options: BuildSettingsOptions,
): Promise<PreparedBuild[]> {
  const specs = services.map((service) => resolveBuildSpec(project, service, options));
  return Promise.all(
    specs.map(async (spec) => {
      const context = await prepareContext({
        service: spec.service,
        contextDir: spec.contextDir,
        dockerfile: spec.dockerfile,
      });
      return {
        spec,
        context,
        reads: referencedImages(context.dockerfileText, spec.args).map(normalizeImageRef),
      };
    }),
  );
}

/** Service → the services (among `builds`) whose image it starts from. */
function baseServicesOf(builds: readonly PreparedBuild[]): Map<string, string[]> {
  const owner = new Map<string, string>();
  for (const { spec } of builds) for (const tag of spec.tags) owner.set(normalizeImageRef(tag), spec.service);
  return new Map(
    builds.map(({ spec, reads }) => [
      spec.service,
      [
        ...new Set(
          reads
            .map((ref) => owner.get(ref))
            .filter((s): s is string => s !== undefined && s !== spec.service),
        ),
      ],
    ]),
  );
}

function digestSettings(spec: ServiceBuildSpec): DigestSettings {
  const settings: DigestSettings = { args: spec.args, labels: spec.labels };
  if (spec.target) settings.target = spec.target;
  return settings;
}

function toRequest(
  spec: ServiceBuildSpec,
  prepared: PreparedContext,
  digest: string,
  signal?: AbortSignal,
): BuildImageRequest {
  const labels = { ...spec.labels, ...spec.composeLabels, [BUILD_DIGEST_LABEL]: digest };
  // Without a target the last stage is the image: one LABEL line there costs one step, where the
  // `labels` parameter costs the classic builder a step per label. A target may be any stage.
  const labelled = spec.target ? undefined : withLabelInstruction(prepared.dockerfileText, labels);
  const context = labelled === undefined ? prepared : withDockerfileText(prepared, labelled);
  const request: BuildImageRequest = {
    context: packContext(context),
    dockerfile: context.dockerfileName,
    tags: spec.tags,
    buildArgs: spec.args,
    ...(labelled === undefined ? { labels } : {}),
    cacheFrom: spec.cacheFrom,
    noCache: spec.noCache,
    pull: spec.pull,
    extraHosts: spec.extraHosts,
  };
  if (spec.target) request.target = spec.target;
  if (spec.network) request.networkMode = spec.network;
  if (spec.shmSize !== undefined) request.shmSize = spec.shmSize;
  if (signal) request.signal = signal;
  return request;
}

/** How one build reports: its own Building/Built lines (`build`), or only output under `outputId` (`up`). */
interface Reporting {
  onEvent: ProgressListener;
  /** Whether this build emits its own resource events (the `up` executor emits them itself). */
  resourceEvents: boolean;
  /** The id output lines carry: the id of the resource line they belong under. */
  outputId: string;
  reason?: BuildReason | undefined;
}

/** Runs one prepared build on the engine; throws a BuildFailedError when it fails. */
async function runBuild(
  { spec, context }: PreparedBuild,
  engine: Pick<Engine, 'buildImage'>,
  report: Reporting,
  clock: Clock,
  signal: AbortSignal | undefined,
): Promise<BuiltImage> {
  const { service } = spec;
  const { onEvent, outputId } = report;
  const start = clock.now();
  if (report.resourceEvents)
    onEvent({
      type: 'resource',
      kind: 'service',
      id: service,
      status: 'working',
      text: 'Building',
      ...(report.reason && report.reason !== 'forced' ? { detail: describeReason(report.reason) } : {}),
    });
  const transcript = new BuildTranscript();
  const emit = (lines: TranscriptLine[]) => {
    for (const line of lines) onEvent({ type: 'output', id: outputId, stream: line.stream, line: line.text });
  };
  try {
    throwIfAborted(signal);
    const digest = await buildDigest(context, digestSettings(spec), signal);
    for await (const message of engine.buildImage(toRequest(spec, context, digest, signal)))
      emit(transcript.push(message));
    emit(transcript.flush());
    if (transcript.error || !transcript.imageId)
      throw buildFailure(
        {
          service,
          image: spec.image,
          dockerfilePath: context.dockerfilePath,
          dockerfileText: context.dockerfileText,
          pull: spec.pull,
        },
        transcript,
      );
    const durationMs = clock.now() - start;
    if (report.resourceEvents)
      onEvent({ type: 'resource', kind: 'service', id: service, status: 'done', text: 'Built', durationMs });
    return {
      service,
      image: spec.image,
      tags: spec.tags,
      id: transcript.imageId,
      digest,
      durationMs,
      log: transcript.log,
    };
  } catch (error) {
    if (report.resourceEvents) {
      const interrupted = signal?.aborted === true;
      onEvent({
        type: 'resource',
        kind: 'service',
        id: service,
        status: 'error',
        text: interrupted ? 'Canceled' : 'Failed',
        ...(interrupted
          ? {}
          : error instanceof BuildFailedError
            ? { detail: error.reason }
            : error instanceof TsComposeError
              ? { detail: error.message }
              : {}),
        durationMs: clock.now() - start,
      });
    }
    throw error;
  }
}

function emitWarnings(builds: readonly PreparedBuild[], onEvent: ProgressListener) {
  for (const { spec } of builds)
    for (const message of spec.warnings)
      onEvent({ type: 'warning', id: spec.service, message: `${spec.service}: ${message}` });
}

/**
 * Builds the images of `services` (each must have `build:`), streaming every line of output as a
 * ProgressEvent of the service. Independent builds run in parallel (at most `concurrency` at once);
 * a service whose Dockerfile starts FROM another's image waits for that build. On a failure no new
 * build starts, the running ones finish, and the first failure is thrown (a BuildFailedError with
 * the step, its last lines and the whole log); the engine keeps the previous images, since tags
 * move only when a build succeeds. The signal cancels the builds in flight.
 */
export async function buildServices(
  project: Project,
  services: readonly string[],
  options: BuildServicesOptions,
  engine: Pick<Engine, 'buildImage'>,
  onEvent: ProgressListener,
  signal?: AbortSignal,
): Promise<BuiltImage[]> {
  throwIfAborted(signal);
  const clock = options.clock ?? systemClock;
  const builds = await prepareBuilds(project, services, options);
  emitWarnings(builds, onEvent);

  const bases = baseServicesOf(builds);
  const dag = new Dag();
  for (const { spec } of builds) {
    dag.addNode(spec.service);
    for (const base of bases.get(spec.service) ?? []) dag.addEdge(spec.service, base);
  }
  const byService = new Map(builds.map((b) => [b.spec.service, b]));
  const results = new Map<string, BuiltImage>();
  await walk(
    dag,
    async (service, walkSignal) => {
      const report = {
        onEvent,
        resourceEvents: true,
        outputId: service,
        reason: options.reasons?.get(service),
      };
      results.set(service, await runBuild(byService.get(service)!, engine, report, clock, walkSignal));
    },
    { direction: 'up', concurrency: options.concurrency ?? Infinity, ...(signal ? { signal } : {}) },
  );
  return services.flatMap((s) => results.get(s) ?? []);
}

/** Builds one service's image: the shape `up`'s executor calls for each of its build operations. */
export type ServiceImageBuilder = (
  service: string,
  image: string,
  signal: AbortSignal | undefined,
) => Promise<void>;

/**
 * A builder for `up`, whose executor runs one operation per image and reports Building/Built
 * itself: output lines go out under the image's name, the id of the executor's line. `services` are
 * all the services the run will build; the first call prepares them all. A service whose base
 * service is among them waits for that build, starting it if the executor has not yet (each build
 * runs once, whoever asks first), so the order holds under any concurrency limit.
 */
export function createServiceImageBuilder(
  project: Project,
  services: readonly string[],
  options: BuildServicesOptions,
  engine: Pick<Engine, 'buildImage'>,
  onEvent: ProgressListener,
): ServiceImageBuilder {
  const clock = options.clock ?? systemClock;
  let prepared: Promise<{ byService: Map<string, PreparedBuild>; bases: Map<string, string[]> }> | undefined;
  const running = new Map<string, Promise<void>>();
  const prepare = () =>
    (prepared ??= prepareBuilds(project, services, options).then((builds) => {
      emitWarnings(builds, onEvent);
      return { byService: new Map(builds.map((b) => [b.spec.service, b])), bases: baseServicesOf(builds) };
    }));
  const ensure = (service: string, signal: AbortSignal | undefined): Promise<void> => {
    let build = running.get(service);
    if (!build) {
      build = (async () => {
        const { byService, bases } = await prepare();
        const own = byService.get(service);
        if (!own)
          throw new TsComposeError(`service "${service}" was not planned to be built`, {
            code: 'build.not-planned',
          });
        await Promise.all((bases.get(service) ?? []).map((base) => ensure(base, signal)));
        const report = {
          onEvent,
          resourceEvents: false,
          outputId: own.spec.image,
          reason: options.reasons?.get(service),
        };
        await runBuild(own, engine, report, clock, signal);
      })();
      running.set(service, build);
    }
    return build;
  };
  return (service, _image, signal) => ensure(service, signal);
}

/**
 * What the engine holds for each buildable service's image, with the digest of its sources when
 * `withDigests` (reading every file of every context: ask only when it is used, e.g. for
 * `--build=changed` or to say in `ps` which images are stale).
 */
export async function inspectBuildStates(
  project: Project,
  services: readonly string[],
  options: BuildSettingsOptions & { withDigests: boolean },
  engine: Pick<Engine, 'inspectImage'>,
): Promise<ServiceBuildState[]> {
  const buildable = services.filter((s) => project.services[s]?.build);
  const builds = await prepareBuilds(project, buildable, options);
  const bases = baseServicesOf(builds);
  return Promise.all(
    builds.map(async ({ spec, context }) => {
      const [image, digest] = await Promise.all([
        engine.inspectImage(spec.image),
        options.withDigests ? buildDigest(context, digestSettings(spec)) : Promise.resolve(undefined),
      ]);
      const state: ServiceBuildState = {
        service: spec.service,
        imageLabels: image?.labels,
        baseServices: bases.get(spec.service) ?? [],
      };
      if (digest !== undefined) state.digest = digest;
      const pullPolicy = project.services[spec.service]?.pull_policy;
      if (pullPolicy) state.pullPolicy = pullPolicy;
      return state;
    }),
  );
}

/**
 * The builds `up` runs under a policy: which services, and why. Digests are computed only for
 * `changed`. Pass the result's keys to buildServices, and the map itself as `reasons`.
 */
export async function planBuilds(
  project: Project,
  services: readonly string[],
  policy: BuildPolicy,
  options: BuildSettingsOptions,
  engine: Pick<Engine, 'inspectImage'>,
): Promise<Map<string, BuildReason>> {
  if (policy === 'never') return new Map();
  const states = await inspectBuildStates(
    project,
    services,
    { ...options, withDigests: policy === 'changed' },
    engine,
  );
  return decideBuilds(states, policy);
}

/**
 * Where each buildable service's image stands against its sources, for `ps` and `up` to say which
 * images are out of date (`changed`), not built yet (`missing`), or built without a digest (`unknown`).
 * Reads every context file: call it when the answer is shown.
 */
export async function sourceStatuses(
  project: Project,
  services: readonly string[],
  options: BuildSettingsOptions,
  engine: Pick<Engine, 'inspectImage'>,
): Promise<Map<string, SourceStatus>> {
  const states = await inspectBuildStates(project, services, { ...options, withDigests: true }, engine);
  return new Map(states.map((state) => [state.service, sourceStatus(state)]));
}
