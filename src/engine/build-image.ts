import type Docker from 'dockerode';
import { InterruptedError, TsComposeError } from '../core/errors.js';
import type { BuildImageRequest, BuildMessage } from './engine.js';

/**
 * The `/build` query as the Engine API reads it. `t` and `extrahosts` are repeated parameters (the
 * query string repeats array values); `buildargs` and `labels` are JSON objects and `cachefrom` a
 * JSON array (dockerode encodes both). dockerode's own type says `t: string`, hence this shape.
 */
interface BuildQuery {
  t: string[];
  dockerfile: string;
  buildargs?: Record<string, string>;
  target?: string;
  labels?: Record<string, string>;
  cachefrom?: string[];
  nocache?: boolean;
  pull?: boolean;
  networkmode?: string;
  shmsize?: number;
  extrahosts?: string[];
  /** Intermediate containers go, also after a failed step: a failed build leaves nothing behind. */
  rm: true;
  forcerm: true;
  abortSignal?: AbortSignal;
}

function toQuery(request: BuildImageRequest): BuildQuery {
  const query: BuildQuery = { t: request.tags, dockerfile: request.dockerfile, rm: true, forcerm: true };
  if (request.buildArgs && Object.keys(request.buildArgs).length > 0) query.buildargs = request.buildArgs;
  if (request.target) query.target = request.target;
  if (request.labels && Object.keys(request.labels).length > 0) query.labels = request.labels;
  if (request.cacheFrom?.length) query.cachefrom = request.cacheFrom;
  if (request.noCache) query.nocache = true;
  if (request.pull) query.pull = true;
  if (request.networkMode) query.networkmode = request.networkMode;
  if (request.shmSize !== undefined) query.shmsize = request.shmSize;
  if (request.extraHosts?.length) query.extrahosts = request.extraHosts;
  if (request.signal) query.abortSignal = request.signal;
  return query;
}

/** One JSON object of the classic builder's stream, as far as it is read here. */
interface RawBuildMessage {
  stream?: unknown;
  status?: unknown;
  id?: unknown;
  progress?: unknown;
  error?: unknown;
  errorDetail?: { message?: unknown; code?: unknown };
  aux?: { ID?: unknown };
}

/** Maps one decoded JSON object to a BuildMessage; messages tscompose does not read give undefined. */
export function toBuildMessage(raw: RawBuildMessage): BuildMessage | undefined {
  if (raw.error !== undefined || raw.errorDetail !== undefined) {
    const detailMessage = typeof raw.errorDetail?.message === 'string' ? raw.errorDetail.message : undefined;
    const message = detailMessage ?? (typeof raw.error === 'string' ? raw.error : 'the build failed');
    const code = raw.errorDetail?.code;
    return typeof code === 'number' ? { kind: 'error', message, code } : { kind: 'error', message };
  }
  if (typeof raw.stream === 'string') return { kind: 'stream', text: raw.stream };
  if (raw.aux && typeof raw.aux.ID === 'string') return { kind: 'image-id', id: raw.aux.ID };
  if (typeof raw.status === 'string') {
    const id = typeof raw.id === 'string' && raw.id ? `${raw.id}: ` : '';
    const progress = typeof raw.progress === 'string' && raw.progress ? ` ${raw.progress}` : '';
    return { kind: 'status', text: `${id}${raw.status}${progress}` };
  }
  return undefined;
}

/**
 * Splits the engine's newline-delimited JSON into BuildMessages. Chunks may cut an object in two or
 * carry several; a line that is not JSON is passed on as output rather than lost.
 */
export async function* decodeBuildStream(
  chunks: AsyncIterable<Buffer | string>,
): AsyncIterable<BuildMessage> {
  let pending = '';
  const decodeLine = (line: string): BuildMessage | undefined => {
    const trimmed = line.trim();
    if (!trimmed) return undefined;
    try {
      return toBuildMessage(JSON.parse(trimmed) as RawBuildMessage);
    } catch {
      return { kind: 'stream', text: `${trimmed}\n` };
    }
  };
  for await (const chunk of chunks) {
    pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const message = decodeLine(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      if (message) yield message;
      newline = pending.indexOf('\n');
    }
  }
  const last = decodeLine(pending);
  if (last) yield last;
}

function engineBuildError(error: unknown): TsComposeError {
  if (error instanceof TsComposeError) return error;
  const e = error as { code?: unknown; statusCode?: unknown; json?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (typeof e.code === 'string' && ['ENOENT', 'ECONNREFUSED', 'EACCES', 'ECONNRESET'].includes(e.code))
    return new TsComposeError(`cannot connect to the Docker engine to build (${e.code})`, {
      code: e.code === 'EACCES' ? 'engine.permission-denied' : 'engine.unreachable',
      hint: 'is dockerd running? start it (`make engine`), or point DOCKER_HOST at a running engine',
      cause: error,
    });
  const json = e.json as { message?: unknown } | undefined;
  const text =
    typeof json?.message === 'string' ? json.message : message.replace(/^\(HTTP code \d+\) [^-]*- /, '');
  return new TsComposeError(`the engine refused the build: ${text.trim()}`, {
    code: e.statusCode === 400 ? 'engine.bad-request' : 'engine.error',
    cause: error,
  });
}

/**
 * Engine.buildImage for the dockerode adapter: sends the context tar to the classic builder
 * (`POST /build`) and decodes its JSON stream. The context is piped, never buffered. Aborting the
 * request's signal closes the connection, which makes the engine cancel the build; the iterator then
 * throws InterruptedError. A build that fails inside (a RUN that exits non-zero) is not an exception
 * here: it arrives as an `error` message, so the caller keeps the output that led to it.
 */
export async function* buildImage(docker: Docker, request: BuildImageRequest): AsyncIterable<BuildMessage> {
  const { context, signal } = request;
  if (signal?.aborted) {
    context.destroy();
    throw new InterruptedError();
  }
  let response: NodeJS.ReadableStream;
  try {
    response = await docker.buildImage(context, toQuery(request) as unknown as Docker.ImageBuildOptions);
  } catch (error) {
    context.destroy();
    if (signal?.aborted) throw new InterruptedError();
    throw engineBuildError(error);
  }
  let finished = false;
  try {
    yield* decodeBuildStream(response as AsyncIterable<Buffer>);
    finished = true;
  } catch (error) {
    if (signal?.aborted) throw new InterruptedError();
    throw engineBuildError(error);
  } finally {
    // the consumer stopped early (or the stream failed): closing the response ends the build
    if (!finished) (response as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    if (!context.readableEnded) context.destroy();
  }
}
