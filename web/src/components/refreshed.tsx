import { Show } from 'solid-js';
import { formatDateTime } from '../lib/format.ts';
import { lang, t } from '../lib/i18n.ts';

/** When the marts behind the figures were refreshed (X-Refreshed-At / refreshed_at). */
export function Refreshed(props: { at: string | null | undefined }) {
  return (
    <Show when={props.at}>
      {(at) => <p class="refreshed">{t('refreshed_at', { time: formatDateTime(at(), lang()) })}</p>}
    </Show>
  );
}
