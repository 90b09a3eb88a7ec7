// Sign-in (demo users per role in local mode, a pasted token anywhere) and the shell: demo badge, language
// switch, navigation by role, year picker.

import App from '@scorecard/web/App.tsx';
import { lang } from '@scorecard/web/lib/i18n.ts';
import { session } from '@scorecard/web/lib/session.ts';
import { selectedYear } from '@scorecard/web/lib/state.ts';
import SignIn from '@scorecard/web/pages/signin.tsx';
import type { RouteSectionProps } from '@solidjs/router';
import { fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Call, fakeApi, json, setup, teardown, text } from './helpers.tsx';

vi.mock('@solidjs/router', () => import('./router-mock.ts'));
afterEach(teardown);

const LOCAL_CONFIG = {
  mode: 'local',
  roles: ['leader', 'analyst', 'commune', 'admin'],
  demo_communes: [
    { commune_code: '28249', name: 'Phường Đạo Thạnh' },
    { commune_code: '28261', name: 'Phường Mỹ Tho' },
  ],
};

function renderApp() {
  return render(() => <App {...({} as RouteSectionProps)}>{<p>page content</p>}</App>);
}

describe('Sign-in', () => {
  it('offers one demo user per role in local mode and signs in as the chosen one', async () => {
    setup({ session: null });
    const api = fakeApi({
      '/auth/config': LOCAL_CONFIG,
      'POST /auth/demo-login': (c: Call) => {
        const body = JSON.parse(String(c.body));
        return {
          token: `tok-${body.role}`,
          role: body.role,
          ...(body.commune_code ? { commune_code: body.commune_code } : {}),
        };
      },
    });
    render(() => <SignIn />);
    const group = await screen.findByRole('group', { name: 'Người dùng mẫu' });
    expect([...group.querySelectorAll('button')].map((b) => b.textContent)).toEqual([
      'Lãnh đạo tỉnh',
      'Chuyên viên phân tích',
      'Cán bộ xã Phường Đạo Thạnh',
      'Cán bộ xã Phường Mỹ Tho',
      'Quản trị',
    ]);
    fireEvent.click(screen.getByRole('button', { name: 'Cán bộ xã Phường Mỹ Tho' }));
    await waitFor(() =>
      expect(session()).toEqual({ token: 'tok-commune', role: 'commune', commune_code: '28261' }),
    );
    expect(JSON.parse(String(api.calls.find((c) => c.method === 'POST')?.body))).toEqual({
      role: 'commune',
      commune_code: '28261',
    });
  });

  it('asks for the one-time code when the folder holds real data, and sends it with the chosen user', async () => {
    setup({ session: null });
    const api = fakeApi({
      '/auth/config': { ...LOCAL_CONFIG, sign_in_code_required: true },
      'POST /auth/demo-login': (c: Call) => ({ token: 'tok', role: JSON.parse(String(c.body)).role }),
    });
    render(() => <SignIn />);
    fireEvent.input(await screen.findByLabelText('Mã đăng nhập một lần'), {
      target: { value: ' K7QM-2XPA ' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Quản trị' }));
    await waitFor(() => expect(session()).toMatchObject({ token: 'tok', role: 'admin' }));
    expect(JSON.parse(String(api.calls.find((c) => c.method === 'POST')?.body))).toEqual({
      role: 'admin',
      code: 'K7QM-2XPA',
    });
  });

  it('shows no code field while the folder holds only the demo', async () => {
    setup({ session: null });
    fakeApi({ '/auth/config': { ...LOCAL_CONFIG, sign_in_code_required: false } });
    render(() => <SignIn />);
    await screen.findByRole('group', { name: 'Người dùng mẫu' });
    expect(screen.queryByLabelText('Mã đăng nhập một lần')).toBeNull();
  });

  it('accepts a pasted token after checking it with GET /me', async () => {
    setup({ session: null });
    const api = fakeApi({ '/auth/config': LOCAL_CONFIG, '/me': { sub: 'x', role: 'analyst' } });
    render(() => <SignIn />);
    fireEvent.input(await screen.findByLabelText('Mã truy cập (token)'), {
      target: { value: '  eyJ.token.sig \n' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Đăng nhập bằng mã' }));
    await waitFor(() =>
      expect(session()).toEqual({ token: 'eyJ.token.sig', role: 'analyst', commune_code: null }),
    );
    expect(api.callsTo('/me')[0]?.headers.get('Authorization')).toBe('Bearer eyJ.token.sig');
  });

  it('says why a pasted token was refused, and asks for one when empty', async () => {
    setup({ session: null });
    fakeApi({
      '/auth/config': LOCAL_CONFIG,
      '/me': json(
        {
          error: {
            code: 'unauthorized',
            message_vi: 'Cần đăng nhập (thiếu hoặc sai mã truy cập)',
            message_en: 'Sign-in required',
          },
        },
        401,
      ),
    });
    render(() => <SignIn />);
    fireEvent.click(await screen.findByRole('button', { name: 'Đăng nhập bằng mã' }));
    expect(text(await screen.findByRole('alert'))).toBe('Hãy dán mã truy cập');
    fireEvent.input(screen.getByLabelText('Mã truy cập (token)'), { target: { value: 'bad' } });
    fireEvent.click(screen.getByRole('button', { name: 'Đăng nhập bằng mã' }));
    await waitFor(() =>
      expect(text(screen.getByRole('alert'))).toBe('Cần đăng nhập (thiếu hoặc sai mã truy cập)'),
    );
    expect(session()).toBeNull();
  });

  it('shows no demo users in Cognito mode', async () => {
    setup({ session: null });
    fakeApi({ '/auth/config': { mode: 'cognito', demo_communes: [] } });
    render(() => <SignIn />);
    expect(await screen.findByText(/Đăng nhập qua cổng đăng nhập của tỉnh/)).toBeTruthy();
    expect(screen.queryByRole('group', { name: 'Người dùng mẫu' })).toBeNull();
  });
});

describe('Shell', () => {
  const shellApi = (demo: boolean) =>
    fakeApi({
      '/health': { status: 'ok', mode: 'local', demo },
      '/years': { current_year: 2027, years: [2026, 2027], deadline_passed: false },
      '/auth/config': LOCAL_CONFIG,
    });

  it('shows the sign-in screen without a session, with the demo badge when the API says demo', async () => {
    setup({ session: null });
    shellApi(true);
    renderApp();
    expect(await screen.findByRole('heading', { name: 'Đăng nhập' })).toBeTruthy();
    expect(text(await screen.findByTestId('demo-badge'))).toBe('Dữ liệu mẫu (demo)');
    expect(screen.queryByText('page content')).toBeNull();
  });

  it('shows no badge for real data', async () => {
    setup({ session: null });
    shellApi(false);
    renderApp();
    await screen.findByRole('heading', { name: 'Đăng nhập' });
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByTestId('demo-badge')).toBeNull();
  });

  it('navigates by role: a leader has no submit page; a commune officer has its own commune and submit', async () => {
    setup({ session: { token: 't', role: 'leader' } });
    shellApi(true);
    const { unmount } = renderApp();
    const nav = await screen.findByRole('navigation', { name: 'Điều hướng chính' });
    expect([...nav.querySelectorAll('a')].map((a) => a.textContent)).toEqual([
      'Tổng quan',
      'Xã, phường',
      'Xếp hạng',
      'Cảnh báo',
      'Chất lượng dữ liệu',
    ]);
    expect(await screen.findByText('page content')).toBeTruthy();
    unmount();
    setup({ session: { token: 't', role: 'commune', commune_code: '28249' } });
    renderApp();
    const nav2 = await screen.findByRole('navigation', { name: 'Điều hướng chính' });
    expect([...nav2.querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['Tổng quan', '#/'],
      ['Xã của tôi', '#/communes/28249'],
      ['Xã, phường', '#/communes'],
      ['Xếp hạng', '#/rankings'],
      ['Cảnh báo', '#/warnings'],
      ['Chất lượng dữ liệu', '#/quality'],
      ['Nộp báo cáo', '#/submit'],
    ]);
    expect(screen.getByText('Đang đăng nhập: Cán bộ xã 28249')).toBeTruthy();
  });

  it('switches language from the header and offers the plan years', async () => {
    setup({ session: { token: 't', role: 'leader' } });
    shellApi(true);
    renderApp();
    await screen.findByText('page content');
    const year = screen.getByRole('combobox', { name: 'Chọn năm báo cáo' }) as HTMLSelectElement;
    await waitFor(() => expect([...year.options].map((o) => o.value)).toEqual(['2026', '2027']));
    fireEvent.change(year, { target: { value: '2026' } });
    expect(selectedYear()).toBe(2026);
    fireEvent.click(screen.getByRole('button', { name: 'Chuyển sang tiếng Anh' }));
    expect(lang()).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    expect(await screen.findByRole('navigation', { name: 'Main navigation' })).toBeTruthy();
    expect(text(screen.getByTestId('demo-badge'))).toBe('Sample data (demo)');
    expect(screen.getByRole('button', { name: 'Switch to Vietnamese' }).textContent).toBe('Tiếng Việt');
  });

  it('signs out from the header', async () => {
    setup({ session: { token: 't', role: 'admin' } });
    shellApi(false);
    renderApp();
    fireEvent.click(await screen.findByRole('button', { name: 'Đăng xuất' }));
    expect(session()).toBeNull();
    expect(await screen.findByRole('heading', { name: 'Đăng nhập' })).toBeTruthy();
  });
});
