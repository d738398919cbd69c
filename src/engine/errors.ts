import { TsComposeError } from '../core/errors.js';

/**
 * Engine failures become TsComposeErrors here, once, so that everything above the adapter reads
 * stable codes: `engine.unreachable`, `engine.permission-denied`, `engine.not-found`,
 * `engine.conflict`, `engine.port-in-use`, `engine.bad-request`, `engine.error`,
 * `engine.connection-lost`.
 */

/** What was being done, for the headline: `start container web-1`. */
export type EngineAction = string;

// the headline says it all: the Node error behind it would only repeat the address
const reasons: Record<string, string> = {
  ENOENT: 'no socket there',
  ECONNREFUSED: 'nothing listens there',
  EHOSTUNREACH: 'host unreachable',
  ENOTFOUND: 'unknown host',
  ETIMEDOUT: 'timed out',
};

const startHint = (url: string) =>
  url.startsWith('unix://')
    ? 'is dockerd running? start it (sudo systemctl start docker, or `make engine`), or point DOCKER_HOST at a running engine'
    : 'check that the engine listens there and that DOCKER_HOST is right';

/**
 * The engine could not be reached at all (the socket or the TCP port refused us), or it closed the
 * connection in the middle of `action` (it stopped or restarted).
 */
export function connectionError(
  error: NodeJS.ErrnoException,
  url: string,
  action?: EngineAction,
): TsComposeError {
  switch (error.code) {
    case 'EACCES':
    case 'EPERM':
      return new TsComposeError(`permission denied while connecting to the Docker engine at ${url}`, {
        code: 'engine.permission-denied',
        hint: 'add your user to the docker group (sudo usermod -aG docker "$USER", then log in again) or run as root',
      });
    case 'ECONNRESET':
    case 'EPIPE':
      return new TsComposeError(
        `lost the connection to the Docker engine at ${url}${action ? ` while trying to ${action}` : ''}`,
        {
          code: 'engine.connection-lost',
          hint: 'the engine stopped or restarted: once it answers again (docker info), run the command again; up carries on from where it stopped',
        },
      );
    case 'ENOENT':
    case 'ECONNREFUSED':
    case 'EHOSTUNREACH':
    case 'ENOTFOUND':
    case 'ETIMEDOUT':
      return new TsComposeError(
        `cannot connect to the Docker engine at ${url} (${error.code}${reasons[error.code] ? `: ${reasons[error.code]}` : ''})`,
        { code: 'engine.unreachable', hint: startHint(url) },
      );
    default:
      return new TsComposeError(`error talking to the Docker engine at ${url}: ${error.message}`, {
        code: 'engine.unreachable',
        hint: startHint(url),
        cause: error,
      });
  }
}

/** The port a "port is already allocated" / "address already in use" message names. */
export function portInMessage(message: string): string | undefined {
  const m =
    /Bind for (\S+?) failed: port is already allocated/.exec(message) ??
    /listen (?:tcp|udp)[46]? (\S+?): bind: address already in use/.exec(message);
  return m?.[1];
}

/**
 * A published port that something else holds: the port, and the holder when known (`container web-1`,
 * `process nginx (pid 42)`), with the fix. `engineText` is the engine's own message.
 */
export function portInUse(
  action: EngineAction,
  port: string,
  engineText: string,
  holder?: string,
): TsComposeError {
  const local = port.replace(/.*:/, ':');
  const container = holder?.startsWith('container ') ? holder.slice('container '.length) : undefined;
  return new TsComposeError(
    `cannot ${action}: port ${port} is already in use${holder ? ` by ${holder}` : ''}`,
    {
      code: 'engine.port-in-use',
      details: [engineText],
      hint: container
        ? `stop that container (docker stop ${container}) or publish another host port`
        : holder
          ? `stop that process or publish another host port`
          : `stop whatever listens on ${port} (ss -ltnp | grep ${local}) or publish another host port`,
    },
  );
}

/** An engine answer with an error status, translated. `message` is the engine's own `message`. */
export function responseError(status: number, message: string, action: EngineAction): TsComposeError {
  const text = message.trim() || `HTTP ${status}`;
  const port = portInMessage(text);
  if (port !== undefined) return portInUse(action, port, text);
  switch (status) {
    case 404:
      return new TsComposeError(`cannot ${action}: ${text}`, { code: 'engine.not-found' });
    case 409:
      return new TsComposeError(`cannot ${action}: ${text}`, { code: 'engine.conflict' });
    case 400:
      return new TsComposeError(`cannot ${action}: ${text}`, { code: 'engine.bad-request' });
    default:
      return new TsComposeError(`cannot ${action}: ${text}`, { code: 'engine.error' });
  }
}

export function isEngineError(error: unknown, code: 'not-found' | 'conflict'): boolean {
  return error instanceof TsComposeError && error.code === `engine.${code}`;
}
