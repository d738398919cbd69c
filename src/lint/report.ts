import type { RuleGroup, RuleResult } from './types.js';

/** How a lint run reads: text grouped by theme (coloured on a terminal), or JSON for machines. */

export interface ReportHeader {
  root: string;
  composeFile: string;
  project: string;
  subject: string;
  login?: string;
  warnings: string[];
}

export interface Summary {
  errors: number;
  warnings: number;
  passed: number;
  skipped: number;
}

export function summarize(results: readonly RuleResult[]): Summary {
  const summary = { errors: 0, warnings: 0, passed: 0, skipped: 0 };
  for (const r of results) {
    if (r.status === 'pass') summary.passed++;
    else if (r.status === 'skip') summary.skipped++;
    else if (r.severity === 'error') summary.errors++;
    else summary.warnings++;
  }
  return summary;
}

export function renderJson(header: ReportHeader, results: readonly RuleResult[], ok: boolean): string {
  return `${JSON.stringify({ ...header, ok, summary: summarize(results), results }, null, 2)}\n`;
}

const GROUPS: Record<RuleGroup, string> = {
  layout: 'Layout',
  images: 'Images',
  secrets: 'Secrets',
  network: 'Network',
  services: 'Services',
  volumes: 'Volumes',
  processes: 'Processes',
  tls: 'TLS',
  wordpress: 'WordPress',
  host: 'Host',
};

const paint = (on: boolean) => (code: string, text: string) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

export function placeText(r: RuleResult): string {
  if (!r.place) return '';
  let text = r.place.file;
  if (r.place.line !== undefined) text += `:${r.place.line}`;
  return text;
}

/** Failures first within each group, then warnings, skips and passes; one line each, fixes indented. */
export function renderText(
  header: ReportHeader,
  results: readonly RuleResult[],
  options: { color: boolean; verbose?: boolean },
): string {
  const c = paint(options.color);
  const lines: string[] = [];
  const who = [`subject ${header.subject}`, header.login ? `login ${header.login}` : 'login unknown'].join(
    ', ',
  );
  lines.push(c('1', `Inception rules: ${header.composeFile} (${who})`));
  for (const warning of header.warnings) lines.push(c('33', `warning: ${warning}`));
  const rank = (r: RuleResult) =>
    r.status === 'fail' ? (r.severity === 'error' ? 0 : 1) : r.status === 'skip' ? 2 : 3;
  const groups = [...new Set(results.map((r) => r.group))];
  for (const group of groups) {
    lines.push('', c('1', GROUPS[group]));
    const inGroup = results.filter((r) => r.group === group).sort((a, b) => rank(a) - rank(b));
    for (const r of inGroup) {
      if (r.status === 'pass') {
        lines.push(
          `  ${c('32', '✓')} ${r.title} ${c('2', `[${r.id}]`)}${options.verbose ? c('2', ` ${r.message}`) : ''}`,
        );
        continue;
      }
      if (r.status === 'skip') {
        lines.push(`  ${c('2', '-')} ${r.title} ${c('2', `[${r.id}] skipped: ${r.message}`)}`);
        continue;
      }
      const mark = r.severity === 'error' ? c('31', '✗') : c('33', '!');
      const where = placeText(r);
      lines.push(`  ${mark} ${where ? `${c('36', where)}: ` : ''}${r.message} ${c('2', `[${r.id}]`)}`);
      if (r.fix) lines.push(`      ${c('2', 'fix:')} ${r.fix}`);
    }
  }
  const s = summarize(results);
  const parts = [
    c(s.errors ? '31' : '32', `${s.errors} error${s.errors === 1 ? '' : 's'}`),
    c(s.warnings ? '33' : '2', `${s.warnings} warning${s.warnings === 1 ? '' : 's'}`),
    `${s.passed} passed`,
    ...(s.skipped ? [`${s.skipped} skipped`] : []),
  ];
  lines.push('', parts.join(', '));
  return `${lines.join('\n')}\n`;
}
