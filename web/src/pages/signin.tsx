// Sign-in: on AWS (cognito.json present) the Cognito hosted UI; in local mode one demo user per role; in every
// mode a pasted token (`npm run token`).
import { createResource, createSignal, For, onMount, Show } from 'solid-js';
import { ErrorState, errorText, Loading } from '../components/states.tsx';
import {
  beginHostedSignIn,
  callbackParams,
  completeHostedSignIn,
  HostedSignInError,
  hostedUiBase,
  loadCognitoConfig,
} from '../lib/cognito.ts';
import { t } from '../lib/i18n.ts';
import { type Role, type Session, signedOutBecause, signIn } from '../lib/session.ts';
import { demoLogin, fetchAuthConfig, hostedSession, tokenSession } from './signin.data.ts';

interface DemoUser {
  role: Role;
  commune_code?: string;
  label: () => string;
}

function signInErrorText(error: unknown): string {
  if (error instanceof HostedSignInError) {
    if (error.problem === 'state_mismatch') return t('signin_hosted_state_mismatch');
    if (error.problem === 'invalid_token') return t('signin_hosted_invalid_token');
    return t('signin_hosted_refused', { reason: error.detail ?? error.problem });
  }
  if (error instanceof Error && error.message === 'empty') return t('signin_token_empty');
  return errorText(error);
}

export default function SignIn() {
  // cognito.json: null in local mode, and then the server says which mode it runs in (as before).
  const [cognito] = createResource(loadCognitoConfig);
  const [config, { refetch }] = createResource(
    () => cognito.state === 'ready' && cognito() === null,
    fetchAuthConfig,
  );
  const hostedUi = () => hostedUiBase(cognito() ?? null) !== null;
  const [error, setError] = createSignal<unknown>(null);
  const [busy, setBusy] = createSignal(false);
  const [token, setToken] = createSignal('');
  const [code, setCode] = createSignal('');

  const demoUsers = (): DemoUser[] => {
    const c = config();
    if (c?.mode !== 'local') return [];
    const communes = c.demo_communes;
    return [
      { role: 'leader', label: () => t('role_leader') },
      { role: 'analyst', label: () => t('role_analyst') },
      ...communes.map((x) => ({
        role: 'commune' as const,
        commune_code: x.commune_code,
        label: () => t('role_commune_named', { name: x.name || x.commune_code }),
      })),
      { role: 'admin', label: () => t('role_admin') },
    ];
  };

  async function attempt(get: () => Promise<Session>) {
    setBusy(true);
    setError(null);
    try {
      signIn(await get());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  // Back from the hosted UI (?code=…&state=…): finish the sign-in before anything else.
  // (In local mode such parameters are not ours: ignored.)
  onMount(() => {
    const params = callbackParams();
    if (!params) return;
    void loadCognitoConfig().then((c) => {
      if (!c) return;
      void attempt(async () => {
        const { tokens, hash } = await completeHostedSignIn(c, params);
        const s = await hostedSession(tokens);
        if (hash && hash !== window.location.hash) window.location.hash = hash;
        return s;
      });
    });
  });

  function startHostedSignIn() {
    const c = cognito();
    if (!c) return;
    setBusy(true);
    setError(null);
    beginHostedSignIn(c).catch((e: unknown) => {
      setError(e);
      setBusy(false);
    });
  }

  function submitToken(ev: SubmitEvent) {
    ev.preventDefault();
    const value = token().trim();
    if (!value) {
      setError(new Error('empty'));
      return;
    }
    void attempt(() => tokenSession(value));
  }

  return (
    <section class="signin" aria-labelledby="signin-title">
      <h1 id="signin-title">{t('signin_title')}</h1>
      <Show when={signedOutBecause() === 'expired' && !error()}>
        <p class="state state-info" role="status">
          {t('signin_session_expired')}
        </p>
      </Show>
      <Show when={config.state === 'errored'}>
        <ErrorState error={config.error} retry={refetch} />
      </Show>
      <Show when={cognito.loading || config.loading}>
        <Loading />
      </Show>
      <Show when={config()?.mode === 'local'}>
        <p>{t('signin_demo_intro')}</p>
        <Show when={config()?.sign_in_code_required}>
          <p class="signin-code">
            <label for="signin-code">{t('signin_code_label')}</label>
            <input
              id="signin-code"
              autocomplete="one-time-code"
              value={code()}
              onInput={(e) => setCode(e.currentTarget.value)}
              aria-describedby="signin-code-hint"
            />
            <span id="signin-code-hint" class="hint">
              {t('signin_code_hint')}
            </span>
          </p>
        </Show>
        <fieldset class="demo-users">
          <legend class="visually-hidden">{t('signin_demo_users')}</legend>
          <For each={demoUsers()}>
            {(u) => (
              <button
                type="button"
                disabled={busy()}
                onClick={() => attempt(() => demoLogin(u.role, u.commune_code, code().trim() || undefined))}
              >
                {u.label()}
              </button>
            )}
          </For>
        </fieldset>
      </Show>
      <Show when={cognito() || config()?.mode === 'cognito'}>
        <p>{t('signin_cognito_intro')}</p>
      </Show>
      <Show when={hostedUi()}>
        <p>
          <button type="button" class="primary" disabled={busy()} onClick={startHostedSignIn}>
            {t('signin_title')}
          </button>
        </p>
      </Show>
      <form class="token-form" onSubmit={submitToken}>
        <label for="signin-token">{t('signin_token_label')}</label>
        <textarea
          id="signin-token"
          rows={3}
          value={token()}
          onInput={(e) => setToken(e.currentTarget.value)}
          aria-describedby="signin-token-hint"
        />
        <p id="signin-token-hint" class="hint">
          {t('signin_token_hint')}
        </p>
        <button type="submit" disabled={busy()}>
          {t('signin_with_token')}
        </button>
      </form>
      <Show when={error()}>
        <p class="state state-error" role="alert">
          {signInErrorText(error())}
        </p>
      </Show>
    </section>
  );
}
