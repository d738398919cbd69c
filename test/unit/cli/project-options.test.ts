import { describe, expect, it } from 'vitest';
import { projectLoadOptions } from '../../../src/cli/project-options.js';

describe('projectLoadOptions', () => {
  it('prefers the command line', () => {
    expect(
      projectLoadOptions(
        {
          file: ['a.yaml'],
          projectName: 'p',
          profile: ['x,y', 'z'],
          envFile: ['e.env'],
          projectDirectory: 'd',
        },
        { COMPOSE_FILE: 'ignored.yaml', COMPOSE_ENV_FILES: 'ignored.env' },
      ),
    ).toEqual({
      files: ['a.yaml'],
      projectName: 'p',
      profiles: ['x', 'y', 'z'],
      envFiles: ['e.env'],
      projectDirectory: 'd',
    });
  });

  it('falls back on COMPOSE_FILE (with its separator) and COMPOSE_ENV_FILES', () => {
    expect(
      projectLoadOptions({}, { COMPOSE_FILE: 'a.yaml:b.yaml', COMPOSE_ENV_FILES: 'one.env,two.env' }),
    ).toEqual({
      files: ['a.yaml', 'b.yaml'],
      envFiles: ['one.env', 'two.env'],
    });
    expect(
      projectLoadOptions({}, { COMPOSE_FILE: 'a.yaml;b.yaml', COMPOSE_PATH_SEPARATOR: ';' }).files,
    ).toEqual(['a.yaml', 'b.yaml']);
  });

  it('leaves profiles to the loader when none is given (COMPOSE_PROFILES may be in .env)', () => {
    expect(projectLoadOptions({}, { COMPOSE_PROFILES: 'x' }).profiles).toBeUndefined();
  });
});
