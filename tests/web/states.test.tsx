// Loading, empty and error states, and API error bodies shown in the current language.

import { Async } from '@scorecard/web/components/states.tsx';
import { getTable } from '@scorecard/web/lib/api.ts';
import { setLang } from '@scorecard/web/lib/i18n.ts';
import { session } from '@scorecard/web/lib/session.ts';
import { fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { createResource } from 'solid-js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, json, setup, table, teardown, text } from './helpers.tsx';

function Probe(props: { path: string }) {
  const [data, { refetch }] = createResource(() => getTable<{ name: string }>(props.path));
  return (
    <Async data={data} retry={refetch} isEmpty={(d) => d.rows.length === 0}>
      {(d) => (
        <ul>
          {d.rows.map((r) => (
            <li>{r.name}</li>
          ))}
        </ul>
      )}
    </Async>
  );
}

beforeEach(() => setup());
afterEach(teardown);

describe('Async states', () => {
  it('says it is loading until the answer, then shows the rows', async () => {
    let release!: (v: unknown) => void;
    fakeApi({ '/things': () => new Promise((r) => (release = r)) });
    render(() => <Probe path="/things" />);
    expect(text(screen.getByRole('status'))).toBe('Đang tải…');
    release(table([{ name: 'Phường Đạo Thạnh' }]));
    expect(await screen.findByText('Phường Đạo Thạnh')).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('says there is no data yet for an empty table', async () => {
    fakeApi({ '/things': table([]) });
    render(() => <Probe path="/things" />);
    expect(await screen.findByText('Chưa có dữ liệu')).toBeTruthy();
  });

  it('shows the API error message in Vietnamese, then in English after switching, and retries', async () => {
    let fail = true;
    fakeApi({
      '/things': () =>
        fail
          ? json(
              {
                error: {
                  code: 'forbidden',
                  message_vi: 'Vai trò của bạn không được phép',
                  message_en: 'Your role may not do this',
                },
              },
              403,
            )
          : table([{ name: 'OK' }]),
    });
    render(() => <Probe path="/things" />);
    const alert = await screen.findByRole('alert');
    expect(text(alert)).toContain('Vai trò của bạn không được phép');
    setLang('en');
    await waitFor(() => expect(text(screen.getByRole('alert'))).toContain('Your role may not do this'));
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('OK')).toBeTruthy();
  });

  it('explains a network failure without a server message', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    render(() => <Probe path="/things" />);
    expect(text(await screen.findByRole('alert'))).toContain('Không kết nối được máy chủ');
  });

  it('signs out when the token is no longer accepted (401)', async () => {
    fakeApi({
      '/things': json(
        { error: { code: 'unauthorized', message_vi: 'Cần đăng nhập', message_en: 'Sign-in required' } },
        401,
      ),
    });
    expect(session()).not.toBeNull();
    render(() => <Probe path="/things" />);
    await screen.findByRole('alert');
    expect(session()).toBeNull();
  });

  it('asks for Arrow and sends the bearer token', async () => {
    const api = fakeApi({ '/things': table([{ name: 'x' }]) });
    render(() => <Probe path="/things" />);
    await screen.findByText('x');
    const call = api.callsTo('/things')[0];
    expect(call?.headers.get('Accept')).toContain('application/vnd.apache.arrow.stream');
    expect(call?.headers.get('Authorization')).toBe('Bearer tok-leader');
  });
});
