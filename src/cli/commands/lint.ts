import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { lintInception, type LintIO } from '../../app/lint.js';
import { usageError } from '../../core/errors.js';
import { renderJson, renderText } from '../../lint/report.js';
import type { Engine } from '../../engine/engine.js';
import type { ProbeIO } from '../../lint/probe.js';
import type { SubjectVersion } from '../../lint/types.js';
import type { CliContext, CommandRun } from '../context.js';
import { loaderIO, projectLoadOptions } from '../project-options.js';

interface LintFlags {
  inception?: boolean;
  login?: string;
  subject?: SubjectVersion;
  base?: string[];
  probe?: boolean;
  format?: 'text' | 'json';
}

/** The files, directories and git of the machine, for the lint use case. */
export function lintIO(ctx: CliContext): LintIO {
  return {
    ...loaderIO(ctx),
    readdir: async (path) => {
      try {
        const entries = await readdir(path, { withFileTypes: true });
        return Promise.all(
          entries.map(async (e) => {
            const kind = e.isFile() ? 'file' : e.isDirectory() ? 'directory' : 'other';
            const size =
              kind === 'file' ? (await stat(join(path, e.name)).catch(() => ({ size: 0 }))).size : 0;
            return { name: e.name, kind, size } as const;
          }),
        );
      } catch {
        return undefined;
      }
    },
    git: (args, cwd) =>
      new Promise((resolve) => {
        execFile(
          'git',
          args,
          { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...ctx.env, GIT_OPTIONAL_LOCKS: '0' } },
          (error, stdout) => resolve(error ? undefined : stdout),
        );
      }),
  };
}

export const run: CommandRun = async (ctx, { options, global }) => {
  const flags = options as LintFlags;
  if (!flags.inception)
    throw usageError(
      'lint needs a rule set: --inception',
      'tscompose lint --inception judges a project against the 42 Inception subject',
    );
  const bases = (flags.base ?? [])
    .flatMap((b) => b.split(','))
    .map((b) => b.trim())
    .filter(Boolean);
  let engine: Engine | undefined;
  let probeIO: ProbeIO | undefined;
  if (flags.probe) {
    const { createDockerEngine } = await import('../../engine/docker-engine.js');
    engine = createDockerEngine({ env: ctx.env });
    probeIO = (await import('../../lint/probe-io.js')).nodeProbeIO;
  }
  try {
    const report = await lintInception(
      {
        load: projectLoadOptions(global, ctx.env),
        subject: flags.subject ?? 'v5',
        ...(flags.login ? { login: flags.login } : {}),
        ...(bases.length ? { bases } : {}),
        probe: flags.probe ?? false,
      },
      lintIO(ctx),
      { ...(engine ? { engine } : {}), ...(probeIO ? { probeIO } : {}), signal: ctx.signal },
    );
    const header = {
      root: report.root,
      composeFile: report.composeFile,
      project: report.project,
      subject: report.subject,
      ...(report.login ? { login: report.login } : {}),
      warnings: report.warnings,
    };
    const color =
      global.ansi === 'always' || (global.ansi !== 'never' && ctx.stdout.isTTY === true && !ctx.env.NO_COLOR);
    ctx.stdout.write(
      flags.format === 'json'
        ? renderJson(header, report.results, report.ok)
        : renderText(header, report.results, { color, verbose: global.verbose ?? false }),
    );
    return report.ok ? 0 : 1;
  } finally {
    engine?.close();
  }
};
