import type { AllocationRuleName } from '../../db/schema/enums';

/** Pure checks of a resource's settings; each answers problems in words (empty: fine). */

export interface AllocationSetting {
  rule: AllocationRuleName;
  weights?: Record<string, number> | null;
  fixedPercent?: number;
  rateCents?: number;
}

/**
 * usage: by minutes booked; weights: by `weights` (or members' own weights when absent); equal; mixed:
 * `fixedPercent` % by weights and the rest by usage; rate: `rateCents` per hour booked. Fields that the rule
 * does not use are refused rather than silently kept.
 */
export function allocationProblems(a: AllocationSetting, memberExists: (id: number) => boolean): string[] {
  const problems: string[] = [];
  const usesWeights = a.rule === 'weights' || a.rule === 'mixed' || a.rule === 'usage_over_allowance';
  if (a.rule === 'mixed' && a.fixedPercent === undefined) problems.push('mixed needs fixedPercent (0..100)');
  if (a.rule !== 'mixed' && a.fixedPercent !== undefined) problems.push(`fixedPercent applies only to mixed, not ${a.rule}`);
  if (a.rule === 'rate' && a.rateCents === undefined) problems.push('rate needs rateCents (≥ 0)');
  if (a.rule !== 'rate' && a.rateCents !== undefined) problems.push(`rateCents applies only to rate, not ${a.rule}`);
  if (!usesWeights && a.weights) problems.push(`weights apply only to weights, mixed and usage_over_allowance, not ${a.rule}`);
  if (usesWeights && a.weights) {
    const entries = Object.entries(a.weights);
    if (entries.length === 0) problems.push('weights is empty: give at least one member, or null for the members’ own weights');
    for (const [key, weight] of entries) {
      if (!/^[1-9][0-9]*$/.test(key) || !memberExists(Number(key))) problems.push(`weights: ${key} is not a member id`);
      if (!Number.isSafeInteger(weight) || weight < 0) problems.push(`weights: ${key} must have a non-negative integer weight`);
    }
    if (entries.length > 0 && entries.every(([, w]) => w === 0)) problems.push('weights: at least one weight must be positive');
  }
  return problems;
}

/** Granularity divides the day; min ≤ max. */
export function durationProblems(granularityMinutes: number, minMinutes: number | null, maxMinutes: number | null): string[] {
  const problems: string[] = [];
  if (1440 % granularityMinutes !== 0) problems.push(`granularityMinutes ${granularityMinutes} must divide a day (1440 minutes): 5, 10, 15, 30, 60, 1440…`);
  if (minMinutes !== null && maxMinutes !== null && minMinutes > maxMinutes) problems.push(`minMinutes ${minMinutes} exceeds maxMinutes ${maxMinutes}`);
  if (maxMinutes !== null && maxMinutes < granularityMinutes) problems.push(`maxMinutes ${maxMinutes} is shorter than one step of ${granularityMinutes} minutes`);
  return problems;
}
