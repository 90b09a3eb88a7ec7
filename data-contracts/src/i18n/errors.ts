// Error and finding messages — the vi/en catalogue for everything a user can be told went wrong.
// Messages are plain Vietnamese with diacritics first; {name} placeholders are filled by `message()`.
import type { Bilingual } from './index.ts';

export const ERRORS = {
  // --- submission validation (hard rules, docs/contracts.md) ---
  unknown_field: {
    vi: 'Trường "{field}" không có trong mẫu báo cáo — kiểm tra lỗi chính tả (dữ liệu không được bỏ qua âm thầm)',
    en: 'Field "{field}" is not part of the submission format — check for a typo (data is never silently dropped)',
  },
  required: { vi: 'Thiếu thông tin bắt buộc', en: 'Required value is missing' },
  invalid_type: { vi: 'Sai kiểu dữ liệu: cần {expected}', en: 'Wrong type: expected {expected}' },
  not_integer: { vi: 'Phải là số nguyên', en: 'Must be a whole number' },
  out_of_range: { vi: 'Giá trị phải từ {min} đến {max}', en: 'Value must be between {min} and {max}' },
  too_small: { vi: 'Giá trị phải lớn hơn hoặc bằng {min}', en: 'Value must be at least {min}' },
  too_big: { vi: 'Giá trị phải nhỏ hơn hoặc bằng {max}', en: 'Value must be at most {max}' },
  too_few_items: { vi: 'Cần ít nhất {min} dòng', en: 'At least {min} row(s) required' },
  too_many_items: { vi: 'Tối đa {max} dòng', en: 'At most {max} rows allowed' },
  string_empty: { vi: 'Không được để trống', en: 'Must not be empty' },
  string_too_long: { vi: 'Dài quá {max} ký tự', en: 'Longer than {max} characters' },
  control_characters: {
    vi: 'Có ký tự điều khiển (xuống dòng, tab hoặc ký tự ẩn) — hãy gõ lại nội dung trên một dòng',
    en: 'Contains control characters (a line break, a tab or an invisible character) — type the text again on one line',
  },
  invalid_code: {
    vi: 'Giá trị "{value}" không hợp lệ; chọn một trong: {options}',
    en: 'Value "{value}" is not allowed; choose one of: {options}',
  },
  invalid_boolean: {
    vi: 'Chỉ nhận Có hoặc Không (true/false)',
    en: 'Only Yes or No (true/false) is accepted',
  },
  schema_version: { vi: 'Phiên bản mẫu báo cáo phải là 1', en: 'schema_version must be 1' },
  commune_code_format: { vi: 'Mã xã phải gồm đúng 5 chữ số', en: 'Commune code must be exactly 5 digits' },
  unknown_commune: {
    vi: 'Mã xã {value} không có trong danh mục xã, phường của tỉnh',
    en: 'Commune code {value} is not in the province’s list of communes and wards',
  },
  year_not_in_plan: {
    vi: 'Năm {value} không thuộc kế hoạch ({from}–{to})',
    en: 'Year {value} is not a plan year ({from}–{to})',
  },
  year_in_future: {
    vi: 'Năm {value} chưa đến (hôm nay thuộc năm {current})',
    en: 'Year {value} is in the future (the current year is {current})',
  },
  national_id_format: {
    vi: 'Số CCCD phải gồm đúng 12 chữ số',
    en: 'The national ID (CCCD) must be exactly 12 digits',
  },
  national_id_leading_zero: {
    vi: 'Số CCCD chỉ có 11 chữ số — Excel có thể đã bỏ mất số 0 ở đầu. Hãy định dạng cột CCCD là Văn bản (Text) rồi nhập lại đủ 12 chữ số',
    en: 'The national ID has only 11 digits — Excel probably dropped the leading zero. Format the CCCD column as Text and enter all 12 digits',
  },
  national_id_required: {
    vi: 'Cần số CCCD: mã cán bộ "{cadre_code}" chưa có trong báo cáo trước của xã',
    en: 'National ID required: staff code "{cadre_code}" was not in the commune’s previous report',
  },
  cadre_code_format: {
    vi: 'Mã cán bộ chỉ gồm chữ không dấu, số và . _ - (tối đa 32 ký tự)',
    en: 'Staff code may contain only unaccented letters, digits and . _ - (at most 32 characters)',
  },
  duplicate_cadre_code: {
    vi: 'Mã cán bộ "{value}" bị trùng với dòng {other}',
    en: 'Staff code "{value}" repeats row {other}',
  },
  duplicate_national_id: {
    vi: 'Số CCCD bị trùng với dòng {other}',
    en: 'National ID repeats row {other}',
  },
  duplicate_staffing_field: {
    vi: 'Lĩnh vực "{value}" đã khai báo ở dòng {other}',
    en: 'Field "{value}" is already listed in row {other}',
  },
  duplicate_training: {
    vi: 'Nội dung bồi dưỡng "{value}" bị lặp',
    en: 'Training "{value}" is listed twice',
  },
  satisfied_exceeds_respondents: {
    vi: 'Số hài lòng ({value}) lớn hơn số người được khảo sát ({max})',
    en: 'Satisfied ({value}) exceeds respondents ({max})',
  },
  resolved_exceeds_received: {
    vi: 'Số khiếu nại giải quyết đúng hạn ({value}) lớn hơn số đã nhận ({max})',
    en: 'Complaints resolved on time ({value}) exceed complaints received ({max})',
  },
  birth_year_range: {
    vi: 'Năm sinh phải từ {min} đến {max}',
    en: 'Birth year must be between {min} and {max}',
  },
  evaluation_incomplete: {
    vi: 'Kết quả đánh giá phải có đủ 5 mục: xếp loại và 4 nhóm điểm',
    en: 'An evaluation needs all five fields: rating and the four group scores',
  },
  invalid_encoding: {
    vi: 'Nội dung không phải văn bản UTF-8 hợp lệ — hãy lưu tệp với mã hóa UTF-8',
    en: 'The body is not valid UTF-8 text — save the file as UTF-8',
  },
  invalid_json: { vi: 'Nội dung không phải JSON hợp lệ', en: 'The body is not valid JSON' },
  not_an_object: { vi: 'Báo cáo phải là một đối tượng JSON', en: 'A submission must be a JSON object' },
  too_deep: { vi: 'Dữ liệu lồng nhau quá sâu', en: 'Data is nested too deeply' },
  // --- HTTP and access ---
  unauthorized: {
    vi: 'Cần đăng nhập (thiếu hoặc sai mã truy cập)',
    en: 'Sign-in required (missing or invalid token)',
  },
  forbidden: {
    vi: 'Vai trò của bạn không được phép thực hiện thao tác này',
    en: 'Your role may not do this',
  },
  forbidden_commune: {
    vi: 'Bạn chỉ được thao tác với dữ liệu của xã mình ({own})',
    en: 'You may only act on your own commune’s data ({own})',
  },
  forbidden_commune_cell: {
    vi: 'Ô {cell} ghi xã, phường {named}, không phải xã của bạn ({own}) — sửa ô đó thành xã của bạn',
    en: 'Cell {cell} names commune {named}, not yours ({own}) — change that cell to your commune',
  },
  payload_too_large: {
    vi: 'Tệp quá lớn: tối đa {max_mb} MB',
    en: 'The upload is too large: at most {max_mb} MB',
  },
  not_found: { vi: 'Không tìm thấy', en: 'Not found' },
  bad_request: { vi: 'Yêu cầu không hợp lệ: {detail}', en: 'Invalid request: {detail}' },
  idempotency_conflict: {
    vi: 'Khóa Idempotency-Key này đã dùng cho một nội dung khác',
    en: 'This Idempotency-Key was already used with a different body',
  },
  void_reason_required: {
    vi: 'Cần ghi lý do hủy bản báo cáo',
    en: 'A reason is required to void a submission',
  },
  already_voided: { vi: 'Bản báo cáo này đã bị hủy trước đó', en: 'This submission is already voided' },
  json_required: {
    vi: 'Yêu cầu này phải gửi nội dung JSON (Content-Type: application/json)',
    en: 'This request must send a JSON body (Content-Type: application/json)',
  },
  sign_in_code_required: {
    vi: 'Thư mục dữ liệu đã có dữ liệu thật: cần mã đăng nhập một lần (in ra khi chạy npm start, hoặc xem bằng npm run token -- --sign-in-code)',
    en: 'The data folder holds real data: a one-time sign-in code is needed (printed by npm start, or shown by npm run token -- --sign-in-code)',
  },
  sign_in_code_wrong: {
    vi: 'Mã đăng nhập một lần không đúng hoặc đã dùng — xem mã mới trong cửa sổ chạy npm start',
    en: 'The one-time sign-in code is wrong or already used — see the new code where npm start runs',
  },
  host_not_allowed: {
    vi: 'Máy chủ không phục vụ tên miền "{host}" (chỉ {allowed})',
    en: 'This server does not answer for host "{host}" (only {allowed})',
  },
  rate_limited: {
    vi: 'Quá nhiều yêu cầu, vui lòng thử lại sau',
    en: 'Too many requests, please retry later',
  },
  sql_rejected: { vi: 'Câu lệnh SQL không được phép: {detail}', en: 'SQL not allowed: {detail}' },
  sql_failed: { vi: 'Câu lệnh SQL lỗi: {detail}', en: 'SQL failed: {detail}' },
  sql_timeout: { vi: 'Câu lệnh SQL chạy quá {seconds} giây', en: 'SQL ran longer than {seconds} s' },
  data_damaged: {
    vi: 'Một tệp dữ liệu bị hỏng (xem /api/v1/health) — quản trị viên chạy npm run repair; số liệu đã công bố vẫn được giữ nguyên',
    en: 'A data file is damaged (see /api/v1/health) — an administrator runs npm run repair; the figures already published stay as they were',
  },
  sql_too_large: {
    vi: 'Kết quả quá lớn (hơn {max_mb} MB) — hãy chọn ít cột hơn, lọc bớt dòng hoặc tổng hợp (GROUP BY)',
    en: 'The answer is too large (over {max_mb} MB) — select fewer columns, filter rows or aggregate (GROUP BY)',
  },
  sql_out_of_memory: {
    vi: 'Câu lệnh SQL cần quá nhiều bộ nhớ — hãy lọc bớt dòng trước khi nối bảng (JOIN) hoặc tổng hợp',
    en: 'The SQL needs too much memory — filter rows before joining or aggregate',
  },
  sql_engine_restarted: {
    vi: 'Bộ máy SQL phân tích vừa phải khởi động lại trong lúc chạy câu lệnh của bạn (một câu lệnh chạy cùng lúc cần quá nhiều bộ nhớ hoặc bị dừng) — câu lệnh của bạn không có lỗi, hãy chạy lại',
    en: 'The analysts’ SQL engine had to restart while your statement ran (a statement running at the same time needed too much memory, or stopped) — yours was not at fault; run it again',
  },
  internal: {
    vi: 'Lỗi hệ thống — dữ liệu của bạn không bị ghi dở; vui lòng thử lại',
    en: 'Server error — nothing was half-written; please retry',
  },
  store_write_failed: {
    vi: 'Không ghi được dữ liệu — báo cáo chưa được nhận, vui lòng gửi lại',
    en: 'Could not write the data — the submission was not accepted, please send it again',
  },
  // --- ingest command ---
  file_unreadable: { vi: 'Không đọc được tệp: {detail}', en: 'Cannot read the file: {detail}' },
  file_format: {
    vi: 'Chỉ nhận tệp .json hoặc mẫu .xlsx',
    en: 'Only .json files or the .xlsx template are accepted',
  },
} as const satisfies Record<string, Bilingual>;

export type ErrorCode = keyof typeof ERRORS;

// --- soft rules (accepted, but lower the Đúng score; docs/kpis.md "Data quality") ---
export const FINDINGS = {
  leader_title_not_leader: {
    vi: 'Chức vụ "{position}" là chức danh lãnh đạo nhưng không đánh dấu lãnh đạo, quản lý',
    en: 'Position "{position}" is a leadership title but is_leader is false',
  },
  headcount_change: {
    vi: 'Số cán bộ thay đổi {change_pct} % so với năm trước (ngưỡng {threshold_pct} %)',
    en: 'Headcount changed by {change_pct} % against the previous year (threshold {threshold_pct} %)',
  },
  identical_evaluations: {
    vi: 'Tất cả cán bộ có điểm đánh giá giống hệt nhau',
    en: 'Every cadre has identical evaluation scores',
  },
  civil_servants_mismatch: {
    vi: 'Số công chức khai báo ({declared}) khác số dòng công chức trong danh sách ({listed})',
    en: 'Declared civil servants ({declared}) differ from civil-servant rows in the roster ({listed})',
  },
} as const satisfies Record<string, Bilingual>;

export type FindingCode = keyof typeof FINDINGS;
