import { collectFacts, type LintInput, type Role } from './input.js';
import { imageRules } from './rules/images.js';
import { layoutRules } from './rules/layout.js';
import { networkRules } from './rules/network.js';
import { nginxRules } from './rules/nginx.js';
import { processRules } from './rules/processes.js';
import type { StaticRule } from './rules/rule.js';
import { secretRules } from './rules/secrets.js';
import { serviceRules } from './rules/services.js';
import { volumeRules } from './rules/volumes.js';
import { toResults, type RuleResult } from './types.js';

/** Every static rule, in the order results are shown. */
export const staticRules: readonly StaticRule[] = [
  ...layoutRules,
  ...imageRules,
  ...secretRules,
  ...networkRules,
  ...serviceRules,
  ...volumeRules,
  ...processRules,
  ...nginxRules,
];

/**
 * Judges a project against every static rule: one or more results per rule, passed ones included,
 * and the login the rules used (given, or read from the volumes' paths and the domain).
 */
export function lintStatic(input: LintInput): StaticLint {
  const facts = collectFacts(input);
  const results = staticRules.flatMap((rule) => toResults(rule, rule.check(facts)));
  const roles: Record<string, Role> = {};
  for (const s of facts.services) if (s.role) roles[s.name] = s.role;
  return { results, roles, ...(facts.login ? { login: facts.login } : {}) };
}

export interface StaticLint {
  results: RuleResult[];
  /** Service → its part of the mandatory stack, as the rules understood it (the probes use it too). */
  roles: Record<string, Role>;
  login?: string;
}
