// The plan on the page: its steps with the current one, the time held in the step against its minimum,
// and how close the analysis is to an automatic rollback (failing evaluations of the current analysis).
import type { ComponentView } from '../model/types.ts';
import { formatDuration, formatNumber } from '../model/format.ts';
import { useI18n } from '../i18n/useI18n.ts';

export function PlanPanel({ component: c }: { component: ComponentView }) {
  const { t, tx, locale } = useI18n();
  const { steps, stepTime, analysis } = c.plan;
  const current = c.step.index ?? -1;
  return (
    <section aria-labelledby="plan-title" className="panel" data-testid="plan">
      <h3 id="plan-title">{t('planTitle')}</h3>
      <ol className="steps">
        {steps.map((s, i) => (
          <li key={i} className={i === current ? 'step-current' : i < current ? 'step-done' : ''} aria-current={i === current ? 'step' : undefined}>
            {tx('planStep', { weight: `${formatNumber(s.weight, locale, 2)} %`, duration: formatDuration(s.minDurationMs, locale) })}
            {i === current && <strong> · {t('planCurrent')}</strong>}
          </li>
        ))}
      </ol>
      {stepTime && c.status !== 'rollback' && (
        <p data-testid="step-time">
          {tx('stepHeld', { held: formatDuration(stepTime.heldMs, locale), min: formatDuration(stepTime.minMs, locale) })} ·{' '}
          {stepTime.leftMs > 0 ? tx('timeLeft', { left: formatDuration(stepTime.leftMs, locale) }) : t('timeReached')}
        </p>
      )}
      {analysis && (
        <p data-testid="failing-counter" className={analysis.failingEvaluations > 0 ? 'warn-text' : undefined}>
          {tx('failingCounter', { n: analysis.failingEvaluations, max: analysis.rollbackAfter })}
        </p>
      )}
    </section>
  );
}
