import type Docker from 'dockerode';
import { TsComposeError } from '../core/errors.js';
import type { BuildImageRequest, BuildMessage } from './engine.js';

/**
 * Engine.buildImage for the dockerode adapter: sends the context tar to the classic builder and
 * decodes its JSON stream. (Owned by the build work; see issue 5.)
 */
// eslint-disable-next-line require-yield
export async function* buildImage(_docker: Docker, _request: BuildImageRequest): AsyncIterable<BuildMessage> {
  throw new TsComposeError('building images is not implemented yet', { code: 'build.unsupported' });
}
