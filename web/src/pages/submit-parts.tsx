// Nộp báo cáo's pieces: the template downloads, the outcome of a confirmed submission, a valid dry run's
// confirmation, the soft findings and the table of field errors. The page (submit.tsx) holds the state.
import { A } from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import { errorText } from '../components/states.tsx';
import { ApiError } from '../lib/api.ts';
import { formatCount } from '../lib/format.ts';
import { apiText, lang, t } from '../lib/i18n.ts';
import { ownCommune, role } from '../lib/session.ts';
import { selectedYear } from '../lib/state.ts';
import type { FieldError, SubmitResult } from '../lib/types.ts';
import { fetchTemplate } from './submit.data.ts';
import { readablePath } from './submit-file.ts';

/** The blank template, and for a commune officer the template filled with last year's roster. */
export function TemplateDownloads() {
  const [templateError, setTemplateError] = createSignal<string | null>(null);
  async function download(prefill: boolean) {
    setTemplateError(null);
    const year = selectedYear();
    const commune = ownCommune();
    try {
      const { blob, filename } = await fetchTemplate(prefill && commune ? { commune, year } : undefined);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = filename ?? 'mau-bao-cao.xlsx';
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setTemplateError(
        prefill && e instanceof ApiError && e.status === 404
          ? t('submit_template_none', { year })
          : errorText(e),
      );
    }
  }
  return (
    <fieldset class="template">
      <legend>{t('submit_template')}</legend>
      <button type="button" onClick={() => void download(false)}>
        {t('submit_template_blank')}
      </button>{' '}
      <Show when={role() === 'commune' && ownCommune()}>
        <button type="button" onClick={() => void download(true)}>
          {t('submit_template_prefill', { year: selectedYear() })}
        </button>
      </Show>
      <Show when={templateError()}>
        <p class="state state-error" role="alert">
          {templateError()}
        </p>
      </Show>
    </fieldset>
  );
}

/** The new version (or the one an identical resubmission matched), with a way to the commune's page. */
export function SubmitDone(props: {
  result: SubmitResult;
  created: boolean;
  communeCode: string | undefined;
  onAgain: () => void;
}) {
  return (
    <div class="callout success" role="status" data-testid="submit-done">
      <p>
        <strong>
          {props.created
            ? t('submit_done', { version: props.result.version })
            : t('submit_done_duplicate', { version: props.result.version })}
        </strong>
      </p>
      <p>
        {t('col_submission_id')}: <code>{props.result.submission_id}</code> · {props.result.status}
      </p>
      <Show when={props.communeCode}>
        {(code) => <A href={`/communes/${code()}`}>{t('submit_view_commune')}</A>}
      </Show>{' '}
      <button type="button" onClick={() => props.onAgain()}>
        {t('submit_cancel')}
      </button>
    </div>
  );
}

/** A dry run without errors: confirm to land the version, or start again. */
export function ConfirmValid(props: { sending: boolean; onConfirm: () => void; onCancel: () => void }) {
  return (
    <div class="callout success" data-testid="dry-run-valid">
      <p role="status">
        <strong>{t('submit_valid')}</strong>
      </p>
      <button type="button" class="primary" disabled={props.sending} onClick={() => props.onConfirm()}>
        {props.sending ? t('submit_sending') : t('submit_confirm')}
      </button>{' '}
      <button type="button" onClick={() => props.onCancel()}>
        {t('submit_cancel')}
      </button>
    </div>
  );
}

/** Findings that do not stop a submission (docs/kpis.md, data quality), each beside its field. */
export function SoftFindings(props: { findings: FieldError[] }) {
  return (
    <section class="soft-findings" aria-labelledby="soft-findings-title">
      <h2 id="soft-findings-title">{t('submit_soft_findings')}</h2>
      <ul>
        <For each={props.findings}>
          {(f) => (
            <li>
              <Show when={f.path}>
                <code>{readablePath(f.path)}</code>:{' '}
              </Show>
              {apiText(f)}
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}

/** Every error at once, each beside its field as the officer reads it (and the raw path where it differs). */
export function ErrorList(props: { errors: FieldError[] }) {
  return (
    <div class="field-errors" role="alert" data-testid="field-errors">
      <p>
        <strong>{t('submit_invalid', { count: formatCount(props.errors.length, lang()) })}</strong>
      </p>
      <table>
        <caption>{t('submit_errors_caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('submit_field')}</th>
            <th scope="col">{t('submit_message')}</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.errors}>
            {(e) => (
              <tr data-path={e.path} data-code={e.code}>
                <th scope="row">
                  <span class="path-readable">{readablePath(e.path)}</span>
                  <Show when={e.path && readablePath(e.path) !== e.path}>
                    {' '}
                    <code class="path-raw">{e.path}</code>
                  </Show>
                </th>
                <td>{apiText(e)}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
