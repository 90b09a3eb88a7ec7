// The shell: header (title, demo badge, year, language, who is signed in), navigation by role, and the page.
// Without a session it shows the sign-in screen instead of the page.

import type { UiKey } from '@scorecard/data-contracts';
import { A, type RouteSectionProps } from '@solidjs/router';
import { createEffect, createResource, For, type JSX, Show, Suspense } from 'solid-js';
import { Async, Loading } from './components/states.tsx';
import { hostedSignOut } from './lib/cognito.ts';
import { lang, setLang, t } from './lib/i18n.ts';
import { keepSessionAlive } from './lib/renewal.ts';
import { canSubmit, ownCommune, role, session, signOut } from './lib/session.ts';
import { health, selectedYear, setHealth, setSelectedYear, setYearsInfo, yearsInfo } from './lib/state.ts';
import { fetchHealth, fetchYears } from './pages/shell.data.ts';
import SignIn from './pages/signin.tsx';

const ROLE_LABEL: Record<string, UiKey> = {
  leader: 'role_leader',
  analyst: 'role_analyst',
  commune: 'role_commune',
  admin: 'role_admin',
};

/** Signed in through the hosted UI: its session ends too (Cognito's /logout), else "Đăng nhập" would sign straight back in. */
function signOutEverywhere(): void {
  const hosted = session()?.provider === 'cognito';
  signOut();
  if (hosted) void hostedSignOut();
}

export default function App(props: RouteSectionProps) {
  keepSessionAlive();
  const [healthAnswer] = createResource(fetchHealth);
  createEffect(() => setHealth(healthAnswer.state === 'ready' ? healthAnswer() : null));
  createEffect(() => {
    document.documentElement.lang = lang();
    document.title = t('app_title');
  });
  let main!: HTMLElement;

  return (
    <>
      {/* Hash routing owns the URL fragment, so the skip link moves focus instead of navigating. */}
      <button type="button" class="skip-link" onClick={() => main.focus()}>
        {t('skip_to_content')}
      </button>
      <header class="app-header">
        <div class="brand">
          <p class="app-title">{t('app_title')}</p>
          <p class="app-province">{t('app_province')}</p>
        </div>
        <Show when={health()?.demo}>
          <span class="demo-badge" role="note" title={t('demo_badge_hint')} data-testid="demo-badge">
            {t('demo_badge')}
          </span>
        </Show>
        <div class="header-controls no-print">
          <Show when={session() && yearsInfo()}>
            <label class="year-picker">
              {t('year')}{' '}
              <select
                aria-label={t('select_year')}
                value={selectedYear()}
                onChange={(e) => setSelectedYear(Number(e.currentTarget.value))}
              >
                <For each={yearsInfo()?.years ?? []}>{(y) => <option value={y}>{y}</option>}</For>
              </select>
            </label>
          </Show>
          <button
            type="button"
            class="lang-switch"
            lang={lang() === 'vi' ? 'en' : 'vi'}
            aria-label={t('switch_language_label')}
            onClick={() => setLang(lang() === 'vi' ? 'en' : 'vi')}
          >
            {t('switch_to_other_language')}
          </button>
          <Show when={session()}>
            <span class="who">
              {t('signed_in_as', {
                role: t(ROLE_LABEL[role() ?? ''] ?? 'role_leader') + (ownCommune() ? ` ${ownCommune()}` : ''),
              })}
            </span>
            <button type="button" onClick={signOutEverywhere}>
              {t('sign_out')}
            </button>
          </Show>
        </div>
      </header>
      <Show
        when={session()}
        fallback={
          <main id="main" ref={main} tabIndex={-1}>
            <SignIn />
          </main>
        }
        keyed
      >
        {(s) => (
          <SignedIn token={s.token} mainRef={(el) => (main = el)}>
            {props.children}
          </SignedIn>
        )}
      </Show>
    </>
  );
}

function SignedIn(props: { token: string; mainRef: (el: HTMLElement) => void; children: JSX.Element }) {
  // The plan years are shell state before the page renders: a page that read them from an effect run after its
  // first render would ask for the wrong year first (and then again).
  const [years, { refetch }] = createResource(
    () => props.token,
    async () => {
      const info = await fetchYears();
      setYearsInfo(info);
      return info;
    },
  );
  return (
    <>
      <nav class="app-nav no-print" aria-label={t('main_navigation')}>
        <ul>
          <li>
            <A href="/" end>
              {t('nav_overview')}
            </A>
          </li>
          <Show when={role() === 'commune' && ownCommune()}>
            <li>
              <A href={`/communes/${ownCommune()}`}>{t('nav_my_commune')}</A>
            </li>
          </Show>
          <li>
            <A href="/communes" end>
              {t('nav_communes')}
            </A>
          </li>
          <li>
            <A href="/rankings">{t('nav_rankings')}</A>
          </li>
          <li>
            <A href="/warnings">{t('nav_warnings')}</A>
          </li>
          <li>
            <A href="/quality">{t('nav_quality')}</A>
          </li>
          <Show when={canSubmit()}>
            <li>
              <A href="/submit">{t('nav_submit')}</A>
            </li>
          </Show>
        </ul>
      </nav>
      <main id="main" ref={props.mainRef} tabIndex={-1}>
        <Async data={years} retry={refetch}>
          {() => <Suspense fallback={<Loading />}>{props.children}</Suspense>}
        </Async>
      </main>
    </>
  );
}
