import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { throwIfAborted } from '../core/abort.js';
import { unreadable, walkContext, type PreparedContext } from './context.js';

/** The image label that holds the digest of what an image was built from. */
export const BUILD_DIGEST_LABEL = 'io.tscompose.build.digest';

/** The build settings that change what an image is: the digest covers them with the sources. */
export interface DigestSettings {
  args: Readonly<Record<string, string>>;
  target?: string;
  labels: Readonly<Record<string, string>>;
}

const FORMAT = 'tscompose-build-digest/1';
/** Reads of 1 MiB: hashing is bound by read calls more than by sha256 with smaller ones. */
const READ_CHUNK = 1 << 20;

/** Canonical JSON: keys sorted, so that the same settings always hash the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

async function hashFile(hash: Hash, context: PreparedContext, path: string, size: number): Promise<void> {
  let read = 0;
  if (size === 0) return;
  try {
    for await (const chunk of createReadStream(path, {
      start: 0,
      end: size - 1,
      highWaterMark: READ_CHUNK,
    }) as AsyncIterable<Buffer>) {
      read += chunk.byteLength;
      hash.update(chunk);
    }
  } catch (error) {
    throw unreadable(context, path, error);
  }
  if (read !== size) hash.update(`\0changed:${read}`);
}

/**
 * A digest of everything a build reads: the Dockerfile, each file the context sends (name, type,
 * permission bits, symlink target, content) and the settings. Modification times are left out, so a
 * checkout or `touch` changes nothing; an edit, a new or removed file, a chmod +x or a new build arg
 * does. `sha256:<hex>`.
 */
export async function buildDigest(
  context: PreparedContext,
  settings: DigestSettings,
  signal?: AbortSignal,
): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`${FORMAT}\0${canonical(settings)}\0`);
  hash.update(
    `dockerfile\0${context.dockerfileName}\0${context.dockerfileText.length}\0${context.dockerfileText}\0`,
  );
  for (const file of context.synthetic)
    hash.update(`synthetic\0${file.name}\0${file.content.length}\0`).update(file.content);
  for await (const entry of walkContext(context)) {
    throwIfAborted(signal);
    hash.update(`${entry.type}\0${entry.name}\0${entry.mode.toString(8)}\0`);
    if (entry.type === 'symlink') hash.update(`${entry.target}\0`);
    if (entry.type === 'file') {
      hash.update(`${entry.size}\0`);
      await hashFile(hash, context, entry.path, entry.size);
    }
  }
  return `sha256:${hash.digest('hex')}`;
}
