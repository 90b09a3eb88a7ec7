// The vi/en catalogue section of the command-line tools and the local server's console: usage lines, results
// and start-up messages. Printed as "Vietnamese / English" by `say()` in i18n/index.ts.
import type { Bilingual } from './index.ts';

export const CLI_TEXT = {
  ingest_usage: {
    vi: 'Cách dùng: npm run ingest -- TỆP... [--as commune:MÃ_XÃ] [--format json]',
    en: 'usage: npm run ingest -- FILE... [--as commune:CODE] [--format json]',
  },
  ingest_rejected: { vi: 'BỊ TỪ CHỐI — {count} lỗi', en: 'rejected — {count} errors' },
  ingest_accepted: { vi: 'ĐÃ NHẬN — phiên bản {version}', en: 'accepted — version {version}' },
  ingest_duplicate: {
    vi: 'TRÙNG NỘI DUNG phiên bản mới nhất — phiên bản {version}, không ghi thêm',
    en: 'identical to the latest version — version {version}, nothing written',
  },
  ingest_failed: { vi: 'Lệnh ingest bị lỗi: {detail}', en: 'ingest failed: {detail}' },
  file_itself: { vi: '(tệp)', en: '(file)' },
  token_usage: {
    vi: 'Cách dùng: npm run token -- --role leader|analyst|commune|admin [--commune MÃ_XÃ] · npm run token -- --sign-in-code',
    en: 'usage: npm run token -- --role leader|analyst|commune|admin [--commune CODE] · npm run token -- --sign-in-code',
  },
  token_no_sign_in_code: {
    vi: 'Chưa có mã đăng nhập một lần: hãy chạy npm start trước',
    en: 'No one-time sign-in code yet: run npm start first',
  },
  token_commune_required: {
    vi: '--role commune cần --commune MÃ_XÃ: mã 5 chữ số có trong danh mục xã, phường',
    en: '--role commune needs --commune CODE: a 5-digit code of the reference list',
  },
  erase_usage: {
    vi: 'Cách dùng: npm run erase -- --national-id <12 chữ số> | --commune MÃ_XÃ --cadre-code MÃ_CÁN_BỘ',
    en: 'usage: npm run erase -- --national-id <12 digits> | --commune CODE --cadre-code STAFF_CODE',
  },
  erase_event_invalid: {
    vi: 'Sự kiện xóa không hợp lệ (trường sai: {fields}). Cần {"national_id": "<12 chữ số>", "requested_by": "<ai yêu cầu>"} hoặc {"commune_code": "<5 chữ số>", "cadre_code": "<mã cán bộ>", "requested_by": "<ai yêu cầu>"}',
    en: 'Invalid erasure event (wrong fields: {fields}). Send {"national_id": "<12 digits>", "requested_by": "<who asked>"} or {"commune_code": "<5 digits>", "cadre_code": "<staff code>", "requested_by": "<who asked>"}',
  },
  erase_incomplete_locked: {
    vi: 'Xóa chưa xong: các phiên bản cũ trong raw/ bị khóa (Object Lock) và vai trò đang chạy không có quyền s3:BypassGovernanceRetention. Chạy lại đúng sự kiện này bằng hàm commune-scorecard-erasure: các dòng đã xóa được giữ, lần chạy sau xóa nốt phiên bản cũ',
    en: 'Erasure incomplete: old versions under raw/ are locked (Object Lock) and this role lacks s3:BypassGovernanceRetention. Invoke commune-scorecard-erasure again with the same event: the rows already erased stay erased, and the second run removes the old versions',
  },
  erase_done: {
    vi: 'Đã xóa thông tin định danh: {rows} dòng trong {versions} phiên bản (bản ghi xóa {erasure_id})',
    en: 'Identifying data erased: {rows} rows in {versions} versions (erasure {erasure_id})',
  },
  erase_recompacted: {
    vi: 'Đã ghi lại các tệp gộp của năm {years}: không còn bản sao nào giữ thông tin đã xóa',
    en: 'Compacted files of {years} rewritten: no copy of the erased data is left',
  },
  verify_damaged_repairable: {
    vi: 'HỎNG  {file} ({problem}) — npm run repair dựng lại được từ raw/',
    en: 'DAMAGED  {file} ({problem}) — npm run repair can rebuild it from raw/',
  },
  verify_damaged_source: {
    vi: 'HỎNG  {file} ({problem}) — không dựng lại được: khôi phục tệp này từ bản sao lưu',
    en: 'DAMAGED  {file} ({problem}) — cannot be rebuilt: restore this file from a backup',
  },
  verify_summary: {
    vi: 'Đã kiểm tra {checked} tệp, {unverified} tệp chưa có mã băm để đối chiếu, {damaged} tệp hỏng',
    en: '{checked} files checked, {unverified} without a hash to check against yet, {damaged} damaged',
  },
  repair_rebuilt: { vi: 'Đã dựng lại {file} từ raw/', en: 'Rebuilt {file} from raw/' },
  repair_cannot: {
    vi: 'Không dựng lại được {file} ({problem}): khôi phục từ bản sao lưu',
    en: 'Cannot rebuild {file} ({problem}): restore it from a backup',
  },
  repair_summary: {
    vi: 'Đã dựng lại {repaired} tệp; còn {remaining} tệp hỏng',
    en: '{repaired} files rebuilt; {remaining} still damaged',
  },
  cli_unknown_option: {
    vi: 'Không có tham số {option} — lệnh này nhận: {known}',
    en: 'There is no option {option} — this command takes: {known}',
  },
  cli_option_needs_value: {
    vi: 'Tham số {option} cần một giá trị (ví dụ {option} 2026) — lệnh này nhận: {known}',
    en: 'Option {option} needs a value (e.g. {option} 2026) — this command takes: {known}',
  },
  cli_option_takes_no_value: {
    vi: 'Tham số {option} không nhận giá trị: chỉ ghi {option} — lệnh này nhận: {known}',
    en: 'Option {option} takes no value: write {option} alone — this command takes: {known}',
  },
  cli_unexpected_argument: {
    vi: 'Lệnh này không nhận "{value}" — các tham số đều có tên: {known}',
    en: 'This command does not take "{value}" — its options are named: {known}',
  },
  compact_usage: {
    vi: 'Cách dùng: npm run compact -- [--year NĂM] [--grace-minutes PHÚT (mặc định 30)]',
    en: 'usage: npm run compact -- [--year YEAR] [--grace-minutes MINUTES (default 30)]',
  },
  compact_year: {
    vi: 'Năm {year}: {status} — {before} → {after} tệp, đã xóa {swept} tệp cũ',
    en: 'Year {year}: {status} — {before} → {after} files, {swept} superseded files deleted',
  },
  sql_usage: {
    vi: 'Cách dùng: npm run sql -- "SELECT ..." [--format table|csv|json] [--as analyst|admin]',
    en: 'usage: npm run sql -- "SELECT ..." [--format table|csv|json] [--as analyst|admin]',
  },
  sql_truncated: { vi: '(kết quả bị cắt ở {rows} dòng)', en: '(truncated at {rows} rows)' },
  export_usage: {
    vi: 'Cách dùng: npm run export -- --year NĂM --meeting annual|review|final [--as-of ISO] [--out THƯ_MỤC]  |  npm run export -- --due',
    en: 'usage: npm run export -- --year YYYY --meeting annual|review|final [--as-of ISO] [--out DIR]  |  npm run export -- --due',
  },
  export_none_due: { vi: 'Không có gói báo cáo nào đến hạn chưa ghi', en: 'No pack is due and unwritten' },
  export_step_done: { vi: 'xong', en: 'done' },
  export_failed: { vi: '{label}: THẤT BẠI — {detail}', en: '{label}: failed — {detail}' },
  demo_loading: {
    vi: 'Đang nạp dữ liệu mẫu (demo) cho các xã, phường…',
    en: 'Loading demo data for the communes and wards…',
  },
  server_running: { vi: 'Commune Scorecard đang chạy: {url}', en: 'Commune Scorecard is running: {url}' },
  server_links: {
    vi: 'Bảng điều khiển: {url}/ · API: {url}/api/v1/health · {url}/api/v1/openapi.json',
    en: 'Dashboard: {url}/ · API: {url}/api/v1/health · {url}/api/v1/openapi.json',
  },
  server_sign_in_code: {
    vi: 'Mã đăng nhập một lần (cần khi thư mục dữ liệu có dữ liệu thật): {code}',
    en: 'One-time sign-in code (needed once the data folder holds real data): {code}',
  },
  server_sign_in: {
    vi: 'Đăng nhập cục bộ: chọn một người dùng mẫu theo vai trò (Lãnh đạo tỉnh, Chuyên viên phân tích, Cán bộ xã, Quản trị), hoặc dán mã từ npm run token -- --role leader|analyst|commune|admin [--commune 28249]',
    en: 'Local sign-in: pick a demo user per role (leader, analyst, commune officer, admin), or paste a token from npm run token -- --role leader|analyst|commune|admin [--commune 28249]',
  },
  port_busy: {
    vi: 'Cổng {port} đang bận — đặt biến PORT sang cổng khác',
    en: 'Port {port} is already in use — set PORT to another port',
  },
} as const satisfies Record<string, Bilingual>;

export type CliTextCode = keyof typeof CLI_TEXT;
