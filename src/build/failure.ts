import { TsComposeError, type SourceLocation } from '../core/errors.js';
import { parseInstructions } from './dockerfile.js';
import type { BuildTranscript, TranscriptLine } from './transcript.js';

/** What a failure report needs to know of the build that failed. */
export interface FailedBuild {
  service: string;
  image: string;
  /** Absolute path, or undefined for `dockerfile_inline`. */
  dockerfilePath: string | undefined;
  dockerfileText: string;
  /** Whether the build asked the registry for newer base images (`--pull`, `pull: true`). */
  pull: boolean;
}

/** A build that failed: a TsComposeError that also carries the whole build log. */
export class BuildFailedError extends TsComposeError {
  readonly service: string;
  readonly log: readonly TranscriptLine[];
  /** A few words for the service's progress line: `step 3/7 exited with status 2`. */
  readonly reason: string;

  constructor(
    message: string,
    options: ConstructorParameters<typeof TsComposeError>[1] & {
      service: string;
      log: readonly TranscriptLine[];
      reason: string;
    },
  ) {
    super(message, options);
    this.name = 'BuildFailedError';
    this.service = options.service;
    this.log = options.log;
    this.reason = options.reason;
  }
}

/** Engine messages that mean "the registry could not be asked", not "the image does not exist there". */
const REGISTRY_UNREACHABLE =
  /dial tcp|no such host|lookup .* on |connection refused|i\/o timeout|TLS handshake timeout|network is unreachable|Client\.Timeout|context deadline exceeded/i;
const NOT_IN_REGISTRY =
  /pull access denied|manifest unknown|not found: manifest|repository does not exist|manifest for .* not found/i;

/** The image a `FROM` step names (`FROM --platform=x debian:bookworm AS base` → `debian:bookworm`). */
export function imageOfFromStep(instruction: string): string | undefined {
  const m = /^FROM\s+(.*)$/i.exec(instruction.trim());
  if (!m) return undefined;
  return m[1]!.split(/\s+/).find((w) => w && !w.startsWith('--'));
}

/** How to get a base image onto an engine that has no registry, for the images tscompose knows. */
export function baseImageHint(image: string): string {
  if (/^(?:docker\.io\/)?(?:library\/)?debian:(?:bookworm|12)$/.test(image))
    return `create it without a registry: run "make base-image" (scripts/ensure-base-image.sh builds ${image} with debootstrap from the machine's Debian mirror)`;
  return `load it onto the engine first ("docker load -i image.tar", or build it), or make a registry reachable; "make base-image" creates debian:bookworm only`;
}

/**
 * The error a failed build gives: the service, the Dockerfile (and the line of the failing step),
 * the step, its last lines of output and the exit status. A `FROM` that cannot be pulled because no
 * registry answers says which image is missing and how to create it.
 */
export function buildFailure(build: FailedBuild, transcript: BuildTranscript): BuildFailedError {
  const step = transcript.step;
  const engineMessage = transcript.error?.message ?? 'the engine ended the build without producing an image';
  const where = build.dockerfilePath ?? `services.${build.service}.build.dockerfile_inline`;
  const location: SourceLocation = { path: `services.${build.service}.build` };
  if (build.dockerfilePath) location.file = build.dockerfilePath;
  const instruction = step ? parseInstructions(build.dockerfileText)[step.index - 1] : undefined;
  if (
    instruction &&
    step &&
    instruction.keyword === step.instruction.split(/\s/)[0]?.toUpperCase() &&
    build.dockerfilePath
  )
    location.line = instruction.line;

  const fromImage = step ? imageOfFromStep(step.instruction) : undefined;
  if (fromImage && (REGISTRY_UNREACHABLE.test(engineMessage) || NOT_IN_REGISTRY.test(engineMessage))) {
    const unreachable = REGISTRY_UNREACHABLE.test(engineMessage);
    return new BuildFailedError(
      unreachable
        ? `base image "${fromImage}" of service "${build.service}" is not on the engine and no registry answered`
        : `base image "${fromImage}" of service "${build.service}" is not on the engine nor in the registry`,
      {
        code: 'build.base-image-missing',
        location,
        details: [`step ${step!.index}/${step!.total}: ${step!.instruction}`, `engine: ${engineMessage}`],
        hint: build.pull
          ? `the build asked the registry for a newer "${fromImage}" (--pull or build.pull); if the image is on the engine, build without pulling, else ${baseImageHint(fromImage)}`
          : baseImageHint(fromImage),
        service: build.service,
        log: transcript.log,
        reason: `base image ${fromImage} missing`,
      },
    );
  }

  const status = transcript.exitStatus();
  const stepText = step ? `step ${step.index}/${step.total} (${step.instruction})` : 'the build';
  const headline =
    status !== undefined
      ? `service "${build.service}" failed to build: ${stepText} exited with status ${status}`
      : `service "${build.service}" failed to build: ${stepText}: ${engineMessage}`;
  const tail = transcript.stepTail();
  // the error's location names the Dockerfile; an inline one is named here
  const details = build.dockerfilePath ? [] : [`Dockerfile: ${where}`];
  if (step) details.push(`step ${step.index}/${step.total}: ${step.instruction}`);
  if (tail.length) {
    details.push(`last ${tail.length} line${tail.length === 1 ? '' : 's'} of its output:`);
    for (const line of tail) details.push(`  | ${line}`);
  }
  details.push(`engine: ${engineMessage}`);
  return new BuildFailedError(headline, {
    code: 'build.failed',
    location,
    details,
    hint: `fix the step and build again; the previous image "${build.image}" (if any) is unchanged`,
    service: build.service,
    log: transcript.log,
    reason:
      status !== undefined
        ? `${step ? `step ${step.index}/${step.total}` : 'the build'} exited with status ${status}`
        : `${step ? `step ${step.index}/${step.total}` : 'the build'} failed`,
  });
}
