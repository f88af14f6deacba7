/**
 * Small-cell suppression for aggregates below city level: a count from 1 to 4 could point
 * at a person, so ANALYST gets null (and `suppressed: true`) instead. 0 and ≥ 5 stay.
 */
export const SUPPRESS_BELOW = 5;

export function suppressCount(n: number, apply: boolean): number | null {
  return apply && n >= 1 && n < SUPPRESS_BELOW ? null : n;
}

export function isSuppressed(n: number, apply: boolean): boolean {
  return apply && n >= 1 && n < SUPPRESS_BELOW;
}
