import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TsComposeError } from '../core/errors.js';

/** Where the Docker engine listens, resolved from DOCKER_HOST and the TLS variables. */
export interface EngineEndpoint {
  /** As users write it, for messages: `unix:///var/run/docker.sock`, `tcp://10.0.0.2:2376`. */
  url: string;
  socketPath?: string;
  host?: string;
  port?: number;
  /** Set for `tcp://` hosts with DOCKER_TLS_VERIFY or DOCKER_CERT_PATH. */
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer; verify: boolean };
  /** DOCKER_API_VERSION pins the version instead of negotiating it. */
  apiVersion?: string;
}

export const defaultSocket = '/var/run/docker.sock';

/** Reads DOCKER_HOST (unix:// or tcp://), DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, DOCKER_API_VERSION. */
export function endpointFromEnv(env: Readonly<Record<string, string | undefined>>): EngineEndpoint {
  const apiVersion = env.DOCKER_API_VERSION?.replace(/^v/, '') || undefined;
  const raw = env.DOCKER_HOST?.trim() || `unix://${defaultSocket}`;
  const scheme = /^([a-z0-9+]+):\/\//i.exec(raw)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'unix':
      return { url: raw, socketPath: raw.slice('unix://'.length) || defaultSocket, apiVersion };
    case 'tcp':
    case 'http':
    case 'https': {
      const url = new URL(raw.replace(/^tcp:/i, 'http:'));
      const tlsWanted = scheme === 'https' || !!env.DOCKER_TLS_VERIFY || !!env.DOCKER_CERT_PATH;
      const port = url.port ? Number(url.port) : tlsWanted ? 2376 : 2375;
      return {
        url: raw,
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port,
        tls: tlsWanted ? readTlsFiles(env) : undefined,
        apiVersion,
      };
    }
    case 'ssh':
      throw new TsComposeError('ssh:// DOCKER_HOST is not supported', {
        code: 'engine.unsupported-host',
        hint: `forward the remote socket instead: ssh -nNT -L /tmp/docker.sock:/var/run/docker.sock ${raw.slice(6)} & then DOCKER_HOST=unix:///tmp/docker.sock`,
      });
    default:
      if (raw.startsWith('/')) return { url: `unix://${raw}`, socketPath: raw, apiVersion };
      throw new TsComposeError(`DOCKER_HOST "${raw}" is not a unix:// or tcp:// address`, {
        code: 'engine.unsupported-host',
        hint: 'use unix:///var/run/docker.sock or tcp://HOST:PORT, or unset DOCKER_HOST',
      });
  }
}

function readTlsFiles(env: Readonly<Record<string, string | undefined>>): EngineEndpoint['tls'] {
  const dir = env.DOCKER_CERT_PATH || join(env.HOME ?? '', '.docker');
  const read = (name: string) => {
    try {
      return readFileSync(join(dir, name));
    } catch {
      return undefined;
    }
  };
  return {
    ca: read('ca.pem'),
    cert: read('cert.pem'),
    key: read('key.pem'),
    verify: !!env.DOCKER_TLS_VERIFY,
  };
}
