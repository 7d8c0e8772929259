import { useEffect, useRef } from 'react';
import { useDashboard } from '../state/useDashboard.ts';
import { useHashRoute } from '../state/useHashRoute.ts';
import { useI18n } from '../i18n/useI18n.ts';
import { ConnectionBadge } from './ConnectionBadge.tsx';
import { LanguageToggle } from './LanguageToggle.tsx';
import { TokenForm } from './TokenForm.tsx';
import { OverviewPage } from './OverviewPage.tsx';
import { ComponentPage } from './ComponentPage.tsx';
import { CostsPage } from './CostsPage.tsx';
import { Nav } from './Nav.tsx';
import { LiveAnnouncer } from './LiveAnnouncer.tsx';

export function App() {
  const { t } = useI18n();
  const d = useDashboard();
  const route = useHashRoute();
  const main = useRef<HTMLElement>(null);

  // Moving between pages puts the keyboard focus at the new page's start, as a page load would.
  useEffect(() => {
    main.current?.focus();
    document.title = t('appTitle');
  }, [route, t]);

  return (
    <>
      <a className="skip" href="#main" onClick={(e) => (e.preventDefault(), main.current?.focus())}>
        {t('skipToContent')}
      </a>
      <header className="top">
        <h1>
          <a href="#/">Bascule</a>
        </h1>
        <Nav route={route} components={d.components.map((c) => c.component)} />
        <div className="top-right">
          {d.auth === 'ok' && <ConnectionBadge state={d.connection} onRetry={d.retryNow} />}
          <LanguageToggle />
          {d.auth === 'ok' && (
            <button type="button" className="secondary" onClick={d.signOut}>
              {t('signOut')}
            </button>
          )}
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {d.loadError && (
          <p className="error" role="alert">
            {t('errorPrefix')}: {d.loadError}
          </p>
        )}
        {d.auth === 'needToken' && <TokenForm onSubmit={d.signIn} refused={d.hadToken} />}
        {d.auth === 'checking' && <p>{t('loading')}</p>}
        {d.auth === 'ok' && route.page === 'overview' && <OverviewPage components={d.components} />}
        {d.auth === 'ok' && route.page === 'component' && (
          <ComponentPage
            client={d.client}
            id={route.id}
            component={d.components.find((c) => c.component === route.id)}
            known={d.components.map((c) => c.component)}
            connection={d.connection}
            revision={d.revision}
            onChanged={(summary) => (summary ? d.applySummary(summary) : d.refresh())}
          />
        )}
        {d.auth === 'ok' && route.page === 'costs' && <CostsPage client={d.client} components={d.components} />}
      </main>
      <LiveAnnouncer components={d.components} />
    </>
  );
}
