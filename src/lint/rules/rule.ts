import type { Facts } from '../input.js';
import type { Finding, RuleGroup, RuleSpec, Severity, Verdict } from '../types.js';

/** A static rule: a pure function from the facts of a project to a verdict. */
export interface StaticRule extends RuleSpec {
  check(facts: Facts): Verdict;
}

export function staticRule(
  id: string,
  severity: Severity,
  group: RuleGroup,
  title: string,
  check: (facts: Facts) => Verdict,
): StaticRule {
  return { id, severity, group, title, kind: 'static', check };
}

export const verdict = (findings: Finding[], checked: string): Verdict => ({ findings, checked });

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
