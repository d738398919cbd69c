import { createHash } from 'node:crypto';
import type { ServiceConfig } from '../compose/model.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The config hash (com.docker.compose.config-hash) is Docker Compose's own, byte for byte, so that
 * `docker compose up` and `tscompose up` each find the other's containers up to date: sha256 of the
 * service as Go's encoding/json writes it (Compose's key order, `<>&` escaped as \u003c...), minus
 * how the image is built or pulled and how many replicas run. The service in Compose's printable
 * form comes from the compose room (the app layer passes it in: reconcile does not import it).
 */
export type ServiceHasher = (service: ServiceConfig) => string;

/** Go's json.Marshal escapes these; the hash must see the same bytes. */
const goEscapes = /[<>&\u2028\u2029]/g;
const goJson = (value: unknown) =>
  JSON.stringify(value).replace(goEscapes, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Compose's hash of a service given in its printable form (`config --format json` of one service). */
export function composeServiceHash(printable: Record<string, unknown>): string {
  const { build: _build, pull_policy: _pull, scale: _scale, ...rest } = printable;
  if (rest.deploy && typeof rest.deploy === 'object') {
    const { replicas: _replicas, ...deploy } = rest.deploy as Record<string, unknown>;
    rest.deploy = deploy;
  }
  return sha256(goJson(rest));
}

/**
 * The part of a service that the per-field hashes cover: what reaches the container. Build, pull
 * policy, replicas, start-up order, watch rules and extensions do not.
 */
const notHashed = new Set(['build', 'pull_policy', 'scale', 'depends_on', 'profiles', 'develop', 'attach']);

export function hashedConfig(service: ServiceConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(service)) {
    if (notHashed.has(key) || key.startsWith('x-') || value === undefined) continue;
    if (key === 'deploy' && value && typeof value === 'object') {
      const { replicas: _replicas, ...rest } = value as Record<string, unknown>;
      if (Object.keys(rest).length) out[key] = rest;
      continue;
    }
    out[key] = value;
  }
  return out;
}

/** JSON with object keys sorted at every depth and undefined dropped: equal configs, equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * Short hashes per top-level field, and per variable for `environment` (`environment.DB_HOST`), kept
 * in a label so that a later run can name what changed. Values are hashed: names only are readable.
 */
export function fieldHashes(service: ServiceConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(hashedConfig(service))) {
    out[key] = sha256(canonicalJson(value)).slice(0, 8);
    if (key === 'environment' && value && typeof value === 'object')
      for (const [name, v] of Object.entries(value as Record<string, unknown>))
        out[`environment.${name}`] = sha256(canonicalJson(v)).slice(0, 6);
  }
  return out;
}

/** `command=1a2b3c4d,environment=...` with names sorted, for the label. */
export function encodeFieldHashes(hashes: Record<string, string>): string {
  return Object.keys(hashes)
    .sort()
    .map((k) => `${k}=${hashes[k]}`)
    .join(',');
}

export function decodeFieldHashes(label: string | undefined): Record<string, string> | undefined {
  if (label === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const part of label.split(',')) {
    const at = part.lastIndexOf('=');
    if (at > 0) out[part.slice(0, at)] = part.slice(at + 1);
  }
  return out;
}

/**
 * What changed between two field-hash sets, in words: `environment.DB_HOST changed`,
 * `ports added`. Per-variable entries stand in for their `environment` entry when they explain it.
 */
export function describeChanges(before: Record<string, string>, after: Record<string, string>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const changes: string[] = [];
  const perVariable = keys.some((k) => k.startsWith('environment.') && before[k] !== after[k]);
  for (const key of keys) {
    if (before[key] === after[key]) continue;
    if (key === 'environment' && perVariable) continue;
    if (before[key] === undefined) changes.push(`${key} added`);
    else if (after[key] === undefined) changes.push(`${key} removed`);
    else changes.push(`${key} changed`);
  }
  return changes;
}
