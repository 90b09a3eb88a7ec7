// Loading, empty and error states, said the same way on every page. Errors show the API's message in the
// current language ({error:{code,message_vi,message_en}} or the first of {errors:[…]}).
import { For, type JSX, Match, type Resource, Show, Switch } from 'solid-js';
import { ApiError } from '../lib/api.ts';
import { apiText, t } from '../lib/i18n.ts';

export function Loading(props: { label?: string }) {
  return (
    <p class="state state-loading" role="status" aria-live="polite">
      {props.label ?? t('loading')}
    </p>
  );
}

export function Empty(props: { label?: string }) {
  return <p class="state state-empty">{props.label ?? t('empty')}</p>;
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.message_vi !== null && error.message_en !== null) {
      return apiText({ message_vi: error.message_vi, message_en: error.message_en });
    }
    if (error.code === 'network') return t('error_network');
    return t('error_unexpected', { status: error.status });
  }
  return t('error_unexpected', { status: '?' });
}

export function ErrorState(props: { error: unknown; retry?: () => void }) {
  const fieldErrors = () => (props.error instanceof ApiError ? props.error.errors : []);
  return (
    <div class="state state-error" role="alert">
      <p>
        <strong>{t('error_title')}:</strong> {errorText(props.error)}
      </p>
      <Show when={fieldErrors().length > 1}>
        <ul>
          <For each={fieldErrors()}>
            {(e) => (
              <li>
                <code>{e.path}</code> {apiText(e)}
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={props.retry}>
        <button type="button" onClick={() => props.retry?.()}>
          {t('retry')}
        </button>
      </Show>
    </div>
  );
}

/**
 * Renders a resource: loading until the first answer, the error with a retry, an empty note, or the content.
 * A refresh keeps the previous content on screen.
 */
export function Async<T>(props: {
  data: Resource<T>;
  retry?: () => void;
  isEmpty?: (value: T) => boolean;
  emptyLabel?: string;
  children: (value: T) => JSX.Element;
}) {
  // A retry after an error is 'refreshing' with no previous value: that is loading, not content.
  const hasValue = () =>
    (props.data.state === 'ready' || props.data.state === 'refreshing') && props.data.latest !== undefined;
  return (
    <Switch fallback={<Loading />}>
      <Match when={props.data.state === 'errored'}>
        <ErrorState error={props.data.error} retry={props.retry} />
      </Match>
      <Match when={hasValue() && props.isEmpty?.(props.data.latest as T)}>
        <Empty label={props.emptyLabel} />
      </Match>
      <Match when={hasValue()}>{props.children(props.data.latest as T)}</Match>
    </Switch>
  );
}
