/** A clock offset in seconds (≥ 0) as whole days, hours and minutes, for "3 dias 4 h adiantado". */
export function offsetParts(seconds: number): { days: number; hours: number; minutes: number } {
  const total = Math.max(0, Math.floor(seconds / 60));
  return { days: Math.floor(total / 1_440), hours: Math.floor((total % 1_440) / 60), minutes: total % 60 };
}
