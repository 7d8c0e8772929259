import type { ComponentView } from './types.ts';

/** "2 / 3 (50 %)" (1-based for people), "0 / 3" before the first step, or what is known of it. */
export function stepText(c: ComponentView): string {
  const { index, total, weight, label } = c.step;
  if (label) return label;
  if (index === null) return '—';
  const position = total === null ? String(index + 1) : `${index + 1} / ${total}`;
  return weight === null || index < 0 ? position : `${position} (${weight} %)`;
}
