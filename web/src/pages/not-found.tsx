import { A } from '@solidjs/router';
import { t } from '../lib/i18n.ts';

export default function NotFound() {
  return (
    <section class="page" aria-labelledby="not-found-title">
      <h1 id="not-found-title">{t('page_not_found')}</h1>
      <A href="/">{t('back_to_overview')}</A>
    </section>
  );
}
