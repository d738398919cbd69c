import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type * as Https from 'node:https';
import type { Socket } from 'node:net';
import { isTsComposeError } from '../core/errors.js';
import { connectionError, responseError, type EngineAction } from './errors.js';
import type { EngineEndpoint } from './endpoint.js';

/**
 * The Engine API over HTTP, on node:http alone. docker-modem (under dockerode) loads node:https and
 * node:tls eagerly and spends regex time per request: a `listContainers` round trip from a cold
 * process measured 0.110 s through dockerode and 0.058 s this way, and `up` of an unchanged project
 * is little more than that. node:https is loaded only for tcp:// hosts with TLS.
 */

/** The newest API version whose request and answer shapes this client knows. */
export const maxApiVersion = '1.45';
/** Engine 20.10: everything below assumes at least this much. */
export const minApiVersion = '1.41';

export type Query = Record<string, string | number | boolean | undefined | Record<string, string[]>>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Raw request body (tar streams). */
  stream?: NodeJS.ReadableStream;
  headers?: Record<string, string>;
  /** For error messages: `start container web-1`. */
  action: EngineAction;
  /** Statuses that are not errors besides 2xx (e.g. 304 "already started"). */
  accept?: number[];
  signal?: AbortSignal;
  /** Followed streams (events, logs -f) get a connection of their own instead of the keep-alive pool. */
  longLived?: boolean;
}

export function compareVersions(a: string, b: string): number {
  const [a1 = 0, a2 = 0] = a.split('.').map(Number);
  const [b1 = 0, b2 = 0] = b.split('.').map(Number);
  return a1 - b1 || a2 - b2;
}

function encodeQuery(query: Query | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(text)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

async function readBody(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function errorMessage(body: Buffer): string {
  const text = body.toString('utf8');
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: the text itself
  }
  return text;
}

export class EngineHttp {
  /** Keep-alive for request/answer calls; idle sockets are unref'd, so they never hold the process. */
  private readonly agent: http.Agent;
  private version: Promise<string> | undefined;
  private httpsModule: Promise<typeof Https> | undefined;

  constructor(readonly endpoint: EngineEndpoint) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    if (endpoint.apiVersion) this.version = Promise.resolve(endpoint.apiVersion);
  }

  /** The API version both sides speak: the engine's own, capped at what this client knows. */
  apiVersion(): Promise<string> {
    this.version ??= this.send('GET', '/_ping', { action: 'reach the Docker engine' }).then(async (res) => {
      await readBody(res);
      const server = String(res.headers['api-version'] ?? minApiVersion);
      return compareVersions(server, maxApiVersion) > 0 ? maxApiVersion : server;
    });
    return this.version;
  }

  /** A request whose answer is JSON (or empty); returns the parsed body. */
  async json<T>(method: string, path: string, options: RequestOptions): Promise<T> {
    const res = await this.request(method, path, options);
    const body = await readBody(res).catch((error: NodeJS.ErrnoException) => {
      throw this.translate(error, options.signal, options.action);
    });
    if (body.length === 0) return undefined as T;
    const type = String(res.headers['content-type'] ?? '');
    return (type.includes('json') ? JSON.parse(body.toString('utf8')) : body.toString('utf8')) as T;
  }

  /** A request whose answer is a stream (logs, events, build output), handed over once the status is known. */
  async request(method: string, path: string, options: RequestOptions): Promise<IncomingMessage> {
    const version = await this.apiVersion();
    const res = await this.send(method, `/v${version}${path}`, options);
    const status = res.statusCode ?? 0;
    if ((status >= 200 && status < 300) || options.accept?.includes(status)) return res;
    const body = await readBody(res).catch((error: NodeJS.ErrnoException) => {
      throw this.translate(error, options.signal, options.action);
    });
    throw responseError(status, errorMessage(body), options.action);
  }

  /** Upgrades the connection to a raw duplex socket (exec and attach with stdin). */
  async hijack(path: string, options: RequestOptions): Promise<{ socket: Socket; head: Buffer }> {
    const version = await this.apiVersion();
    const req = await this.open('POST', `/v${version}${path}`, {
      ...options,
      headers: { ...options.headers, Connection: 'Upgrade', Upgrade: 'tcp' },
    });
    return new Promise((resolve, reject) => {
      req.on('upgrade', (_res, socket, head) => resolve({ socket, head }));
      req.on('response', (res: IncomingMessage) => {
        // engines that answer without upgrading (200) stream the output on the response itself
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve({ socket: res.socket, head: Buffer.alloc(0) });
        else
          readBody(res).then(
            (body) => reject(responseError(status, errorMessage(body), options.action)),
            reject,
          );
      });
      req.on('error', (error: NodeJS.ErrnoException) =>
        reject(this.translate(error, options.signal, options.action)),
      );
      this.writeBody(req, options);
    });
  }

  close(): void {
    this.agent.destroy();
  }

  /** A socket error (or a stream that broke off) as a TsComposeError; aborts stay what they are. */
  translate(error: NodeJS.ErrnoException, signal: AbortSignal | undefined, action?: EngineAction): Error {
    if (signal?.aborted || error.name === 'AbortError' || isTsComposeError(error)) return error;
    // socket errors carry a code (a response cut short, "aborted", carries ECONNRESET); others are bugs
    if (!error.code) return error;
    return connectionError(error, this.endpoint.url, action);
  }

  private async open(method: string, path: string, options: RequestOptions): Promise<http.ClientRequest> {
    const { endpoint } = this;
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const base = {
      method,
      path: `${path}${encodeQuery(options.query)}`,
      headers,
      signal: options.signal,
      agent: options.longLived || headers.Upgrade ? false : this.agent,
    };
    // servername '' skips the TLS server-name guess that node:http makes for every new connection
    // (an IPv6 regex that costs ~10 ms on first use); it has no meaning without TLS
    const plain: http.RequestOptions & { servername: string } = { ...base, servername: '' };
    if (endpoint.socketPath) return http.request({ ...plain, socketPath: endpoint.socketPath });
    if (endpoint.tls) {
      this.httpsModule ??= import('node:https');
      const https = await this.httpsModule;
      const { ca, cert, key, verify } = endpoint.tls;
      return https.request({
        ...base,
        agent: undefined,
        host: endpoint.host,
        port: endpoint.port,
        ca,
        cert,
        key,
        rejectUnauthorized: verify,
      });
    }
    return http.request({ ...plain, host: endpoint.host, port: endpoint.port });
  }

  private writeBody(req: http.ClientRequest, options: RequestOptions): void {
    if (options.stream) {
      options.stream.pipe(req);
      return;
    }
    if (options.body !== undefined) req.end(JSON.stringify(options.body));
    else req.end();
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<IncomingMessage> {
    const req = await this.open(method, path, options);
    return new Promise((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', (error: NodeJS.ErrnoException) =>
        reject(this.translate(error, options.signal, options.action)),
      );
      this.writeBody(req, options);
    });
  }
}
