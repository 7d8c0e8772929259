import type { Route } from '../state/useHashRoute.ts';
import { useI18n } from '../i18n/useI18n.ts';

export function Nav({ route, components }: { route: Route; components: string[] }) {
  const { t } = useI18n();
  const current = (active: boolean) => (active ? ('page' as const) : undefined);
  return (
    <nav aria-label="Bascule">
      <ul>
        <li>
          <a href="#/" aria-current={current(route.page === 'overview')}>
            {t('navOverview')}
          </a>
        </li>
        {components.map((id) => (
          <li key={id}>
            <a href={`#/components/${encodeURIComponent(id)}`} aria-current={current(route.page === 'component' && route.id === id)}>
              {id}
            </a>
          </li>
        ))}
        <li>
          <a href="#/costs" aria-current={current(route.page === 'costs')}>
            {t('navCosts')}
          </a>
        </li>
      </ul>
    </nav>
  );
}
