// How close two positive quantities are (durations, lengths), as a score 0..1 that treats either as the reference.
/** min(a/b, b/a): 1 when equal, toward 0 as they part; 0 when either is 0 and the other not. */
export function closeness(a: number, b: number): number {
  if (a <= 0 && b <= 0) return 1;
  if (a <= 0 || b <= 0) return 0;
  return Math.min(a / b, b / a);
}
