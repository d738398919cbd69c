// An in-memory file system for loader tests: paths are absolute, directories are implied by files.
import { dirname } from 'node:path';
import type { LoaderIO } from '../../src/compose/load.js';

export function memoryIO(
  files: Record<string, string>,
  options: { cwd?: string; env?: Record<string, string>; stdin?: string; home?: string } = {},
): LoaderIO {
  const dirs = new Set<string>();
  for (const path of Object.keys(files)) {
    let dir = dirname(path);
    while (!dirs.has(dir)) {
      dirs.add(dir);
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return {
    env: options.env ?? {},
    cwd: options.cwd ?? '/project',
    homedir: options.home ?? '/home/user',
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file ${path}`);
      return text;
    },
    readStdin: async () => options.stdin ?? '',
    stat: async (path) => (files[path] !== undefined ? 'file' : dirs.has(path) ? 'directory' : undefined),
  };
}
