export function StatTile({ label, value, tone, testId }: { label: string; value: string; tone?: 'good' | 'warn' | 'bad'; testId?: string }) {
  return (
    <div className={`tile ${tone ? `tone-${tone}` : ''}`}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}
