// Nộp báo cáo: dry run first, every error beside its field path (in the current language), confirm, the new
// version; only commune officers and admins may submit.

import { setLang } from '@scorecard/web/lib/i18n.ts';
import Submit, { readablePath } from '@scorecard/web/pages/submit.tsx';
import { fireEvent, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMUNES } from './fixtures.ts';
import { type Call, fakeApi, json, renderPage, setup, table, teardown, text } from './helpers.tsx';

vi.mock('@solidjs/router', () => import('./router-mock.ts'));
afterEach(teardown);

const OFFICER = { token: 'tok-c', role: 'commune' as const, commune_code: '28249' };
const ERRORS = [
  {
    path: '/cadres/0/national_id',
    code: 'national_id_format',
    message_vi: 'Số CCCD phải gồm đúng 12 chữ số',
    message_en: 'The national ID (CCCD) must be exactly 12 digits',
  },
  {
    path: '/report/survey/citizen_satisfied',
    code: 'satisfied_exceeds_respondents',
    message_vi: 'Số hài lòng (500) lớn hơn số người được khảo sát (400)',
    message_en: 'Satisfied (500) exceeds respondents (400)',
  },
  {
    path: '/cadres/3/categry',
    code: 'unknown_field',
    message_vi: 'Trường "categry" không có trong mẫu báo cáo',
    message_en: 'Field "categry" is not part of the submission format',
  },
];

function upload(content: string, name = 'bao-cao.json') {
  const input = screen.getByLabelText(/Chọn tệp báo cáo|Choose the report file/) as HTMLInputElement;
  const file = new File([content], name, { type: 'application/json' });
  fireEvent.change(input, { target: { files: [file] } });
}

const SUBMISSION = JSON.stringify({
  schema_version: 1,
  commune_code: '28249',
  year: 2026,
  report: {},
  cadres: [{}, {}],
});

describe('Submit', () => {
  it('shows every dry-run error beside its field path, in Vietnamese then English, and offers no confirm', async () => {
    setup({ session: OFFICER });
    const api = fakeApi({
      '/communes': table(COMMUNES),
      'POST /submissions': json({ valid: false, errors: ERRORS, soft_findings: [] }),
    });
    renderPage(Submit);
    expect(await screen.findByText('Nộp cho: Phường Đạo Thạnh (28249)')).toBeTruthy();
    upload(SUBMISSION);
    const list = await screen.findByTestId('field-errors');
    expect(text(list)).toContain('Tệp có 3 lỗi');
    const rows = [...list.querySelectorAll('tbody tr')].map((r) => [
      r.getAttribute('data-path'),
      text(r.querySelector('th')),
      text(r.querySelector('td')),
    ]);
    expect(rows).toEqual([
      [
        '/cadres/0/national_id',
        'cadres › 1 › national_id /cadres/0/national_id',
        'Số CCCD phải gồm đúng 12 chữ số',
      ],
      [
        '/report/survey/citizen_satisfied',
        'report › survey › citizen_satisfied /report/survey/citizen_satisfied',
        'Số hài lòng (500) lớn hơn số người được khảo sát (400)',
      ],
      [
        '/cadres/3/categry',
        'cadres › 4 › categry /cadres/3/categry',
        'Trường "categry" không có trong mẫu báo cáo',
      ],
    ]);
    expect(screen.queryByRole('button', { name: 'Xác nhận nộp báo cáo' })).toBeNull();
    const dry = api.calls.find((c: Call) => c.method === 'POST');
    expect(dry?.query.get('dry_run')).toBe('true');
    expect(dry?.body).toBe(SUBMISSION); // the file as uploaded
    expect(text(screen.getByText(/bao-cao\.json/).closest('p'))).toContain(
      'Phường Đạo Thạnh (28249) · năm 2026 · 2 cán bộ',
    );
    setLang('en');
    await waitFor(() =>
      expect(text(screen.getByTestId('field-errors'))).toContain(
        'The national ID (CCCD) must be exactly 12 digits',
      ),
    );
  });

  it('reads a 422 from the dry run (e.g. unreadable JSON on the server) as the same list', async () => {
    setup({ session: OFFICER });
    fakeApi({ '/communes': table(COMMUNES), 'POST /submissions': json({ errors: ERRORS.slice(0, 1) }, 422) });
    renderPage(Submit);
    upload(SUBMISSION);
    expect(text(await screen.findByTestId('field-errors'))).toContain('Tệp có 1 lỗi');
  });

  it('says locally that a file is not JSON, without sending it', async () => {
    setup({ session: OFFICER });
    const api = fakeApi({ '/communes': table(COMMUNES) });
    renderPage(Submit);
    upload('{ not json');
    const list = await screen.findByTestId('field-errors');
    expect(text(list)).toContain('Nội dung không phải JSON hợp lệ');
    expect(text(list)).toContain('(toàn bộ tệp)');
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('validates, shows soft findings, then submits with an Idempotency-Key and shows the new version', async () => {
    setup({ session: OFFICER });
    const api = fakeApi({
      '/communes': table(COMMUNES),
      'POST /submissions': (c: Call) =>
        c.query.get('dry_run') === 'true'
          ? json({
              valid: true,
              errors: [],
              soft_findings: [
                {
                  path: '/cadres/1/is_leader',
                  code: 'leader_title_not_leader',
                  message_vi: 'Chức vụ "Chủ tịch UBND" là chức danh lãnh đạo',
                  message_en: 'Position "Chủ tịch UBND" is a leadership title',
                },
              ],
            })
          : json({ submission_id: '01a2-new', version: 3, status: 'accepted' }, 201),
    });
    renderPage(Submit);
    upload(SUBMISSION);
    expect(await screen.findByText('Tệp hợp lệ — sẵn sàng nộp')).toBeTruthy();
    expect(text(screen.getByRole('heading', { name: /Lưu ý/ }).parentElement)).toContain(
      'cadres › 2 › is_leader: Chức vụ "Chủ tịch UBND" là chức danh lãnh đạo',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Xác nhận nộp báo cáo' }));
    const done = await screen.findByTestId('submit-done');
    expect(text(done)).toContain('Đã nhận báo cáo: phiên bản 3');
    expect(text(done)).toContain('01a2-new');
    expect(screen.getByRole('link', { name: 'Xem số liệu của xã' }).getAttribute('href')).toBe(
      '#/communes/28249',
    );
    const posts = api.calls.filter((c) => c.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[1]?.query.has('dry_run')).toBe(false);
    expect(posts[1]?.headers.get('Idempotency-Key')).toMatch(/.+/);
    expect(posts[1]?.headers.get('Authorization')).toBe('Bearer tok-c');
  });

  it('says when the content equals the latest version (200, nothing new written)', async () => {
    setup({ session: OFFICER });
    fakeApi({
      '/communes': table(COMMUNES),
      'POST /submissions': (c: Call) =>
        c.query.get('dry_run') === 'true'
          ? json({ valid: true, errors: [], soft_findings: [] })
          : json({ submission_id: 'same', version: 2, status: 'duplicate' }, 200),
    });
    renderPage(Submit);
    upload(SUBMISSION);
    fireEvent.click(await screen.findByRole('button', { name: 'Xác nhận nộp báo cáo' }));
    expect(text(await screen.findByTestId('submit-done'))).toContain('Nội dung giống phiên bản mới nhất (2)');
  });

  it('shows a 403 for another commune’s file in the current language', async () => {
    setup({ session: OFFICER });
    fakeApi({
      '/communes': table(COMMUNES),
      'POST /submissions': json(
        {
          error: {
            code: 'forbidden_commune',
            message_vi: 'Bạn chỉ được thao tác với dữ liệu của xã mình (28249)',
            message_en: 'You may only act on your own commune’s data (28249)',
          },
        },
        403,
      ),
    });
    renderPage(Submit);
    upload(SUBMISSION.replace('28249', '28261'));
    expect(text(await screen.findByRole('alert'))).toContain(
      'Bạn chỉ được thao tác với dữ liệu của xã mình (28249)',
    );
  });

  it('sends the Excel template as multipart to the same route', async () => {
    setup({ session: OFFICER });
    const api = fakeApi({
      '/communes': table(COMMUNES),
      'POST /submissions': json(
        {
          errors: [
            {
              path: 'CanBo!F14',
              code: 'national_id_leading_zero',
              message_vi: 'Số CCCD chỉ có 11 chữ số',
              message_en: 'The national ID has only 11 digits',
            },
          ],
        },
        422,
      ),
    });
    renderPage(Submit);
    upload('PK-binary', 'mau-bao-cao.xlsx');
    const list = await screen.findByTestId('field-errors');
    expect(text(list.querySelector('tbody th'))).toBe('CanBo!F14');
    const post = api.calls.find((c) => c.method === 'POST');
    expect(post?.body).toBeInstanceOf(FormData);
    const form = post?.body as FormData;
    expect((form.get('file') as File).name).toBe('mau-bao-cao.xlsx');
    expect(post?.headers.get('Content-Type')).toBeNull(); // the browser sets the multipart boundary
  });

  it('tells other roles that only commune officers submit', async () => {
    setup({ session: { token: 'tok-l', role: 'leader' } });
    fakeApi({ '/communes': table(COMMUNES) });
    renderPage(Submit);
    expect(await screen.findByText('Chỉ cán bộ xã (hoặc quản trị) mới nộp báo cáo')).toBeTruthy();
    expect(screen.queryByLabelText(/Chọn tệp báo cáo/)).toBeNull();
  });
});

describe('Excel template download', () => {
  it('downloads the blank template and the one pre-filled from the officer’s submission of the year', async () => {
    setup({ session: OFFICER, year: 2026 });
    const created: Blob[] = [];
    // jsdom has no object URLs: provide them for this test only.
    const objectUrls = URL as unknown as {
      createObjectURL?: (b: Blob) => string;
      revokeObjectURL?: (u: string) => void;
    };
    objectUrls.createObjectURL = (b: Blob) => {
      created.push(b);
      return 'blob:x';
    };
    objectUrls.revokeObjectURL = () => undefined;
    const clicks: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicks.push(this.download);
    });
    const xlsx = (name: string) =>
      new Response(new Uint8Array([80, 75, 3, 4]), {
        headers: {
          'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'Content-Disposition': `attachment; filename="${name}"`,
        },
      });
    const api = fakeApi({
      '/communes': table(COMMUNES),
      '/template.xlsx': (c: Call) =>
        c.query.get('prefill') ? xlsx('bao-cao-28249-2026-v2.xlsx') : xlsx('mau-bao-cao-can-bo-cap-xa.xlsx'),
    });
    renderPage(Submit);
    fireEvent.click(await screen.findByRole('button', { name: 'Tải mẫu Excel trống' }));
    await waitFor(() => expect(clicks).toEqual(['mau-bao-cao-can-bo-cap-xa.xlsx']));
    fireEvent.click(screen.getByRole('button', { name: 'Tải mẫu Excel điền sẵn từ bản nộp năm 2026' }));
    await waitFor(() => expect(clicks).toHaveLength(2));
    expect(clicks[1]).toBe('bao-cao-28249-2026-v2.xlsx');
    const calls = api.callsTo('/template.xlsx');
    expect([
      calls[0]?.query.get('prefill'),
      calls[1]?.query.get('prefill'),
      calls[1]?.query.get('year'),
    ]).toEqual([null, '28249', '2026']);
    expect(calls[1]?.headers.get('Authorization')).toBe('Bearer tok-c');
    expect(created).toHaveLength(2);
    click.mockRestore();
    delete objectUrls.createObjectURL;
    delete objectUrls.revokeObjectURL;
  });

  it('says when there is nothing to pre-fill from', async () => {
    setup({ session: OFFICER, year: 2026 });
    fakeApi({ '/communes': table(COMMUNES) }); // /template.xlsx?prefill → 404
    renderPage(Submit);
    fireEvent.click(
      await screen.findByRole('button', { name: 'Tải mẫu Excel điền sẵn từ bản nộp năm 2026' }),
    );
    expect(text(await screen.findByRole('alert'))).toBe(
      'Chưa có bản nộp năm 2026 để điền sẵn — dùng mẫu trống',
    );
  });
});

describe('readablePath', () => {
  it('turns JSON pointers into rows counted from 1 and leaves Excel cells alone', () => {
    setup();
    expect(readablePath('/cadres/12/national_id')).toBe('cadres › 13 › national_id');
    expect(readablePath('/a~1b/c~0d')).toBe('a/b › c~d');
    expect(readablePath('CanBo!F14')).toBe('CanBo!F14');
    expect(readablePath('')).toBe('(toàn bộ tệp)');
  });
});
