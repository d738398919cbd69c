import { isAbsolute } from 'node:path';
import { TsComposeError, projectError } from '../core/errors.js';
import type { BuildConfig, Project, ServiceConfig } from '../compose/model.js';
import type { DockerfileSource } from './context.js';

/** Compose's labels on the images it builds (and the containers it creates). */
export const ComposeLabel = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  version: 'com.docker.compose.version',
} as const;

/** How a run of `build` (or `up --build`) changes every service's build settings. */
export interface BuildSettingsOptions {
  /** The environment that `args` without a value and `--build-arg KEY` read (the project's). */
  environment: Readonly<Record<string, string | undefined>>;
  /** `--build-arg` values: `KEY=VALUE`, or `KEY` to take the value from the environment. */
  buildArgs?: readonly string[];
  /** `--no-cache` / `--pull`: on for every service when set, else each service's own setting. */
  noCache?: boolean;
  pull?: boolean;
  /** Written as com.docker.compose.version. */
  version: string;
}

/** Everything needed to build one service's image, resolved from the project. */
export interface ServiceBuildSpec {
  service: string;
  /** The image the service runs: `image:`, else `<project>-<service>`. */
  image: string;
  /** `image` first, then `build.tags`. */
  tags: string[];
  contextDir: string;
  dockerfile: DockerfileSource;
  args: Record<string, string>;
  target?: string;
  /** The labels of `build.labels`. */
  labels: Record<string, string>;
  /** Compose's labels (project, service, version), added to `labels` on the image. */
  composeLabels: Record<string, string>;
  cacheFrom: string[];
  noCache: boolean;
  pull: boolean;
  network?: string;
  shmSize?: number;
  extraHosts: string[];
  /** Settings the classic builder cannot honour and that are ignored, one sentence each. */
  warnings: string[];
}

/** The image name Compose gives a service: `image:` when set, else `<project>-<service>`. */
export function imageNameOf(projectName: string, serviceName: string, service: ServiceConfig): string {
  return service.image ?? `${projectName}-${serviceName}`;
}

/** A context that is not a local directory: a git URL, an HTTP tarball, `docker-image://`... */
export function isRemoteContext(context: string): boolean {
  return !isAbsolute(context) || /^[a-z][a-z0-9+.-]*:\/\//i.test(context);
}

/** `KEY=VALUE` / `KEY` words (as `--build-arg` takes them) into values; a bare KEY reads the environment. */
export function parseBuildArgs(
  words: readonly string[],
  environment: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq === 0)
      throw new TsComposeError(`invalid build arg "${word}": the name is empty`, {
        code: 'cli.usage',
        exitCode: 2,
      });
    if (eq > 0) out[word.slice(0, eq)] = word.slice(eq + 1);
    else if (environment[word] !== undefined) out[word] = environment[word]!;
  }
  return out;
}

/** `args` of the compose file, where a key without a value takes it from the environment (or is left out). */
function resolveArgs(
  args: BuildConfig['args'],
  environment: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(args ?? {})) {
    const resolved = value ?? environment[key];
    if (resolved !== undefined) out[key] = resolved;
  }
  return out;
}

/** `extra_hosts` (host → addresses) as the engine's `host:ip` list. */
export function extraHostsList(hosts: BuildConfig['extra_hosts']): string[] {
  return Object.entries(hosts ?? {}).flatMap(([host, ips]) => ips.map((ip) => `${host}:${ip}`));
}

function unsupported(service: string, key: string, what: string): TsComposeError {
  return projectError(
    `services.${service}.build.${key}: ${what} is not supported by the engine's classic builder, which tscompose uses`,
    'build.unsupported',
    { path: `services.${service}.build.${key}` },
    `remove build.${key}, or build this image with "docker buildx build" and refer to it with image:`,
  );
}

/**
 * The build of one service as the engine will be asked for it. Throws for what cannot be built: a
 * service without `build:`, a remote context, and features of BuildKit that the classic builder
 * lacks (ssh, secrets, additional contexts, multi-platform, privileged) rather than building an
 * image that silently differs from the one asked for.
 */
export function resolveBuildSpec(
  project: Project,
  serviceName: string,
  options: BuildSettingsOptions,
): ServiceBuildSpec {
  const service = project.services[serviceName];
  if (!service)
    throw new TsComposeError(`no such service: ${serviceName}`, { code: 'build.no-such-service' });
  const build = service.build;
  if (!build)
    throw new TsComposeError(`service "${serviceName}" has no build section`, {
      code: 'build.no-build',
      location: { path: `services.${serviceName}` },
    });
  if (isRemoteContext(build.context))
    throw projectError(
      `services.${serviceName}.build.context: "${build.context}" is not a local directory; remote build contexts (git URLs, URLs) are not supported`,
      'build.remote-context',
      { path: `services.${serviceName}.build.context` },
      'clone the repository and point build.context at the local directory',
    );
  if (build.ssh?.length) throw unsupported(serviceName, 'ssh', 'forwarding SSH agents');
  if (build.secrets?.length) throw unsupported(serviceName, 'secrets', 'build secrets');
  if (build.additional_contexts && Object.keys(build.additional_contexts).length)
    throw unsupported(serviceName, 'additional_contexts', 'additional build contexts');
  if ((build.platforms?.length ?? 0) > 1)
    throw unsupported(serviceName, 'platforms', 'building for several platforms');
  if (build.privileged) throw unsupported(serviceName, 'privileged', 'a privileged build');

  const warnings: string[] = [];
  if (build.cache_to?.length)
    warnings.push(`build.cache_to is ignored: the classic builder exports no cache`);
  if (build.ulimits && Object.keys(build.ulimits).length)
    warnings.push(`build.ulimits is ignored by tscompose's builds`);
  if (build.isolation) warnings.push(`build.isolation is ignored (it applies to Windows engines)`);

  const image = imageNameOf(project.name, serviceName, service);
  const args = {
    ...resolveArgs(build.args, options.environment),
    ...parseBuildArgs(options.buildArgs ?? [], options.environment),
  };
  const composeLabels: Record<string, string> = {
    [ComposeLabel.project]: project.name,
    [ComposeLabel.service]: serviceName,
    [ComposeLabel.version]: options.version,
  };
  const dockerfile: DockerfileSource =
    build.dockerfile_inline !== undefined
      ? { kind: 'inline', content: build.dockerfile_inline }
      : { kind: 'file', path: build.dockerfile ?? 'Dockerfile' };
  const spec: ServiceBuildSpec = {
    service: serviceName,
    image,
    tags: [image, ...(build.tags ?? []).filter((t) => t !== image)],
    contextDir: build.context,
    dockerfile,
    args,
    labels: { ...(build.labels ?? {}) },
    composeLabels,
    cacheFrom: build.cache_from ?? [],
    noCache: options.noCache || build.no_cache === true,
    pull: options.pull || build.pull === true,
    extraHosts: extraHostsList(build.extra_hosts),
    warnings,
  };
  if (build.target) spec.target = build.target;
  if (build.network) spec.network = build.network;
  if (build.shm_size !== undefined) spec.shmSize = build.shm_size;
  return spec;
}
