// Engine answers for unit tests with a scripted engine: a running container's details, changed
// where a test needs it.
import type { ContainerDetails } from '../../src/engine/engine.js';

/** `inspect` of a running container; `state` and the rest override the defaults field by field. */
export function containerDetails(
  overrides: Partial<Omit<ContainerDetails, 'state'>> & { state?: Partial<ContainerDetails['state']> } = {},
): ContainerDetails {
  const { state, ...rest } = overrides;
  return {
    id: 'id',
    name: 'x',
    image: 'img',
    imageId: 'sha',
    labels: {},
    state: {
      status: 'running',
      running: true,
      exitCode: 0,
      error: '',
      startedAt: '',
      finishedAt: '',
      restarting: false,
      oomKilled: false,
      pid: 1,
      ...state,
    },
    restartCount: 0,
    mounts: [],
    networks: {},
    env: [],
    config: {
      image: 'img',
      cmd: null,
      entrypoint: null,
      tty: false,
      openStdin: false,
      user: '',
      workingDir: '',
    },
    ...rest,
  };
}
