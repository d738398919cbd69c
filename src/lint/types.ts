/**
 * The vocabulary of `tscompose lint`: rules with a stable id, and the results they produce. Plain
 * data only, so that results serialize as they are (`--format json`) and rules stay pure.
 */

export type Severity = 'error' | 'warning';

/** `pass`: the rule holds; `fail`: it does not (one result per place); `skip`: it could not be judged. */
export type Status = 'pass' | 'fail' | 'skip';

export type SubjectVersion = 'v3' | 'v5';

/** Where a result points: a path relative to the project's root, with the line when one is known. */
export interface Place {
  file: string;
  line?: number;
  column?: number;
}

export interface RuleSpec {
  /** Stable: tools and people filter on it (`layout.makefile`, `tls.protocols`). */
  id: string;
  severity: Severity;
  /** What must hold, in one line. */
  title: string;
  /** The group results are shown under. */
  group: RuleGroup;
  /** `static` rules read files; `probe` rules talk to the running stack. */
  kind: 'static' | 'probe';
}

export type RuleGroup =
  | 'layout'
  | 'images'
  | 'secrets'
  | 'network'
  | 'services'
  | 'volumes'
  | 'processes'
  | 'tls'
  | 'wordpress'
  | 'host';

/** One verdict of one rule. */
export interface RuleResult {
  id: string;
  severity: Severity;
  status: Status;
  group: RuleGroup;
  title: string;
  /** What was found (fail), what was checked (pass), or why it could not be judged (skip). */
  message: string;
  /** What to change, for a failure. */
  fix?: string;
  place?: Place;
}

/** What a rule reports about one place that breaks it. */
export interface Finding {
  message: string;
  fix: string;
  place?: Place;
}

/** A rule's verdict before it is dressed as results: findings (none: pass) or a reason to skip. */
export type Verdict = { findings: Finding[]; checked: string } | { skip: string };

export function toResults(spec: RuleSpec, verdict: Verdict): RuleResult[] {
  const base = { id: spec.id, severity: spec.severity, group: spec.group, title: spec.title };
  if ('skip' in verdict) return [{ ...base, status: 'skip', message: verdict.skip }];
  if (verdict.findings.length === 0) return [{ ...base, status: 'pass', message: verdict.checked }];
  return verdict.findings.map((f) => ({
    ...base,
    status: 'fail' as const,
    message: f.message,
    fix: f.fix,
    ...(f.place ? { place: f.place } : {}),
  }));
}

/** Whether any result is a failed error: the command then exits 1. */
export function hasErrors(results: readonly RuleResult[]): boolean {
  return results.some((r) => r.status === 'fail' && r.severity === 'error');
}

/** A YAML map as the loader gives it (lint may not import compose at run time). */
export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
