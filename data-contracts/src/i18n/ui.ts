// The dashboard's words — the vi/en catalogue for everything the web UI says that is not an error message
// (errors.ts), a KPI label or policy text (the plan file) or a code label (codes.ts).
// Vietnamese first, with full diacritics; {name} placeholders are filled by `fill()`.
import type { Bilingual } from './index.ts';

export const UI = {
  // --- shell ---
  app_title: { vi: 'Bảng điểm chất lượng cán bộ cấp xã', en: 'Commune cadre quality scorecard' },
  app_province: { vi: 'Tỉnh Đồng Tháp', en: 'Đồng Tháp province' },
  skip_to_content: { vi: 'Bỏ qua, đến nội dung chính', en: 'Skip to main content' },
  main_navigation: { vi: 'Điều hướng chính', en: 'Main navigation' },
  demo_badge: { vi: 'Dữ liệu mẫu (demo)', en: 'Sample data (demo)' },
  demo_badge_hint: {
    vi: 'Số liệu minh họa cho các xã, phường thật của tỉnh — không phải báo cáo thật',
    en: 'Illustrative figures for the province’s real communes — not real reports',
  },
  language: { vi: 'Ngôn ngữ', en: 'Language' },
  switch_to_other_language: { vi: 'English', en: 'Tiếng Việt' },
  switch_language_label: { vi: 'Chuyển sang tiếng Anh', en: 'Switch to Vietnamese' },
  year: { vi: 'Năm', en: 'Year' },
  select_year: { vi: 'Chọn năm báo cáo', en: 'Choose the report year' },
  signed_in_as: { vi: 'Đang đăng nhập: {role}', en: 'Signed in as: {role}' },
  sign_out: { vi: 'Đăng xuất', en: 'Sign out' },
  refreshed_at: { vi: 'Số liệu cập nhật lúc {time}', en: 'Figures refreshed at {time}' },
  print: { vi: 'In trang', en: 'Print' },
  printed_on: { vi: 'In ngày {date}', en: 'Printed on {date}' },

  // --- navigation / page titles ---
  nav_overview: { vi: 'Tổng quan', en: 'Overview' },
  nav_communes: { vi: 'Xã, phường', en: 'Communes' },
  nav_rankings: { vi: 'Xếp hạng', en: 'Rankings' },
  nav_warnings: { vi: 'Cảnh báo', en: 'Warnings' },
  nav_quality: { vi: 'Chất lượng dữ liệu', en: 'Data quality' },
  nav_submit: { vi: 'Nộp báo cáo', en: 'Submit report' },
  nav_my_commune: { vi: 'Xã của tôi', en: 'My commune' },
  page_not_found: { vi: 'Không có trang này', en: 'Page not found' },
  back_to_overview: { vi: 'Về trang Tổng quan', en: 'Back to the overview' },

  // --- roles ---
  role_leader: { vi: 'Lãnh đạo tỉnh', en: 'Provincial leader' },
  role_analyst: { vi: 'Chuyên viên phân tích', en: 'Analyst' },
  role_commune: { vi: 'Cán bộ xã', en: 'Commune officer' },
  role_commune_named: { vi: 'Cán bộ xã {name}', en: 'Commune officer, {name}' },
  role_admin: { vi: 'Quản trị', en: 'Administrator' },

  // --- sign-in ---
  signin_title: { vi: 'Đăng nhập', en: 'Sign in' },
  signin_hosted_state_mismatch: {
    vi: 'Kết quả đăng nhập không khớp với yêu cầu từ trình duyệt này hoặc đã quá hạn. Hãy đăng nhập lại.',
    en: 'The sign-in response does not match a request from this browser, or it has expired. Please sign in again.',
  },
  signin_hosted_refused: {
    vi: 'Cổng đăng nhập không hoàn tất đăng nhập ({reason}). Hãy thử lại.',
    en: 'The sign-in page did not complete the sign-in ({reason}). Please try again.',
  },
  signin_hosted_invalid_token: {
    vi: 'Cổng đăng nhập trả về một mã không hợp lệ cho lần đăng nhập này. Hãy đăng nhập lại; nếu vẫn lỗi, báo quản trị viên.',
    en: 'The sign-in page returned a token that is not valid for this sign-in. Please sign in again; if it happens again, tell the administrator.',
  },
  signin_session_expired: {
    vi: 'Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại.',
    en: 'Your session has ended. Please sign in again.',
  },
  signin_demo_intro: {
    vi: 'Chế độ chạy trên máy (local): chọn một người dùng mẫu theo vai trò.',
    en: 'Local mode: choose a demo user by role.',
  },
  signin_demo_users: { vi: 'Người dùng mẫu', en: 'Demo users' },
  signin_code_label: { vi: 'Mã đăng nhập một lần', en: 'One-time sign-in code' },
  signin_code_hint: {
    vi: 'Thư mục dữ liệu đã có dữ liệu thật: nhập mã in ra trong cửa sổ chạy npm start (hoặc npm run token -- --sign-in-code); mỗi mã dùng một lần.',
    en: 'The data folder holds real data: type the code printed where npm start runs (or npm run token -- --sign-in-code); each code works once.',
  },
  signin_cognito_intro: {
    vi: 'Đăng nhập qua cổng đăng nhập của tỉnh (Cognito), hoặc dán mã truy cập.',
    en: 'Sign in through the province’s sign-in page (Cognito), or paste an access token.',
  },
  signin_token_label: { vi: 'Mã truy cập (token)', en: 'Access token' },
  signin_token_hint: {
    vi: 'Tạo mã bằng lệnh: npm run token -- --role leader',
    en: 'Create one with: npm run token -- --role leader',
  },
  signin_with_token: { vi: 'Đăng nhập bằng mã', en: 'Sign in with token' },
  signin_token_empty: { vi: 'Hãy dán mã truy cập', en: 'Paste an access token' },

  // --- generic states ---
  loading: { vi: 'Đang tải…', en: 'Loading…' },
  empty: { vi: 'Chưa có dữ liệu', en: 'No data yet' },
  error_title: { vi: 'Không tải được dữ liệu', en: 'Could not load the data' },
  error_network: {
    vi: 'Không kết nối được máy chủ — kiểm tra mạng rồi thử lại',
    en: 'Cannot reach the server — check the connection and retry',
  },
  error_unexpected: {
    vi: 'Máy chủ trả lời không như mong đợi ({status})',
    en: 'Unexpected server answer ({status})',
  },
  retry: { vi: 'Thử lại', en: 'Retry' },
  no_value: { vi: 'Không có số liệu', en: 'No value' },
  not_applicable: { vi: 'Không áp dụng', en: 'Not applicable' },
  yes: { vi: 'Có', en: 'Yes' },
  no: { vi: 'Không', en: 'No' },
  all: { vi: 'Tất cả', en: 'All' },
  search: { vi: 'Tìm kiếm', en: 'Search' },
  details: { vi: 'Chi tiết', en: 'Details' },

  // --- KPI status ---
  kpi_met: { vi: 'Đạt', en: 'Met' },
  kpi_not_met: { vi: 'Chưa đạt', en: 'Not met' },
  kpi_no_target: { vi: 'Theo dõi (chưa có chỉ tiêu)', en: 'Tracked (no target)' },
  kpi_missing: { vi: 'Thiếu số liệu', en: 'Missing' },
  kpi_pending: { vi: 'Chưa đến hạn báo cáo', en: 'Not yet due' },
  kpi_not_judged: { vi: 'Chưa đánh giá (chưa đủ xã báo cáo)', en: 'Not judged (too few communes reported)' },
  kpi_coverage: {
    vi: '{reporting}/{expected} xã, phường đã báo cáo ({pct})',
    en: '{reporting}/{expected} communes reported ({pct})',
  },
  col_gap_units: { vi: 'Còn thiếu (đơn vị)', en: 'Short by (units)' },
  kpi_gap: { vi: 'Còn thiếu {units} {what} để {goal}', en: '{units} more {what} needed to {goal}' },
  kpi_goal_gt: { vi: 'vượt {target}', en: 'exceed {target}' },
  kpi_goal_gte: { vi: 'đạt {target}', en: 'reach {target}' },
  gap_what_leader_standard: { vi: 'LĐQL đạt chuẩn', en: 'leaders meeting the standard' },
  gap_what_digital_proficiency: { vi: 'cán bộ thành thạo', en: 'proficient cadres' },
  gap_what_digital_cadre_mgmt: { vi: 'xã, phường chuyển đổi số', en: 'communes managing cadres digitally' },
  gap_what_records_digitized: { vi: 'hồ sơ được số hóa', en: 'digitised records' },
  gap_what_satisfaction: { vi: 'người hài lòng', en: 'satisfied respondents' },
  gap_what_leader_trained: { vi: 'LĐQL được bồi dưỡng đủ', en: 'fully trained leaders' },
  gap_what_staffing_complete: { vi: 'xã, phường đủ công chức', en: 'fully staffed communes' },
  gap_what_within_quota: { vi: 'xã, phường đúng định mức', en: 'communes within quota' },
  gap_what_initiative_replicated: {
    vi: 'xã, phường có sáng kiến nhân rộng',
    en: 'communes with a replicated initiative',
  },
  gap_what_report_on_time: { vi: 'xã, phường báo cáo đúng hạn', en: 'communes reporting on time' },
  overview_year_open: {
    vi: 'Năm {year} chưa đến hạn báo cáo ({date}): số liệu tạm tính từ {reporting}/{expected} xã đã nộp',
    en: 'The {year} report is not yet due ({date}): provisional figures from the {reporting}/{expected} communes that have reported',
  },
  kpi_value: { vi: 'Giá trị', en: 'Value' },
  kpi_target: { vi: 'Chỉ tiêu', en: 'Target' },
  kpi_target_phase: { vi: 'Chỉ tiêu {phase}: {wording}', en: 'Target {phase}: {wording}' },
  kpi_fraction: { vi: '{numerator}/{denominator}', en: '{numerator}/{denominator}' },
  kpi_projection: {
    vi: 'Dự báo cuối giai đoạn ({year}): {value}',
    en: 'Projected at phase end ({year}): {value}',
  },
  kpi_deadline: { vi: 'Hạn chót: năm {year}', en: 'Deadline: {year}' },
  cmp_gt: { vi: 'trên {target}', en: 'above {target}' },
  cmp_gte: { vi: 'từ {target} trở lên', en: '{target} or more' },
  chart_value: { vi: 'Giá trị', en: 'Value' },
  chart_target: { vi: 'Chỉ tiêu', en: 'Target' },
  chart_projection: { vi: 'Dự báo', en: 'Projection' },
  chart_trend_label: { vi: 'Xu hướng {kpi} theo năm', en: '{kpi}: trend by year' },

  // --- overview ---
  overview_title: { vi: 'Tổng quan toàn tỉnh năm {year}', en: 'Province overview {year}' },
  overview_phase: { vi: '{phase}', en: '{phase}' },
  overview_kpis: { vi: 'Mười chỉ tiêu của Kế hoạch', en: 'The plan’s ten KPIs' },
  overview_met_count: { vi: 'Đạt {met}/{total} chỉ tiêu', en: '{met} of {total} targets met' },
  overview_warnings: { vi: 'Cảnh báo theo mức độ', en: 'Warnings by severity' },
  overview_warnings_scope: {
    vi: 'Toàn tỉnh: {province} · Cấp xã: {commune}',
    en: 'Province: {province} · Communes: {commune}',
  },
  overview_reporting: { vi: 'Tình hình nộp báo cáo năm {year}', en: 'Reporting status {year}' },
  overview_deadline: { vi: 'Hạn nộp: {date}', en: 'Deadline: {date}' },
  overview_reporting_own: { vi: 'Xã của bạn: {status}', en: 'Your commune: {status}' },
  communes_reporting: { vi: '{count} xã, phường có báo cáo', en: '{count} communes reporting' },

  // --- reporting status ---
  status_on_time: { vi: 'Đã nộp đúng hạn', en: 'Submitted on time' },
  status_late: { vi: 'Nộp muộn', en: 'Submitted late' },
  status_missing: { vi: 'Chưa nộp (quá hạn)', en: 'Missing (overdue)' },
  status_not_due: { vi: 'Chưa đến hạn', en: 'Not yet due' },

  // --- severities ---
  severity: { vi: 'Mức độ', en: 'Severity' },
  severity_critical: { vi: 'Nghiêm trọng', en: 'Critical' },
  severity_high: { vi: 'Cao', en: 'High' },
  severity_medium: { vi: 'Trung bình', en: 'Medium' },
  severity_missing: { vi: 'Thiếu số liệu', en: 'Missing data' },

  // --- communes table ---
  communes_title: { vi: 'Xã, phường năm {year}', en: 'Communes {year}' },
  communes_search_label: {
    vi: 'Tìm xã, phường (gõ có dấu hoặc không dấu)',
    en: 'Find a commune (with or without diacritics)',
  },
  communes_search_placeholder: { vi: 'Ví dụ: dao thanh', en: 'e.g. dao thanh' },
  communes_type_filter: { vi: 'Loại đơn vị', en: 'Unit type' },
  communes_count: { vi: 'Hiển thị {shown}/{total} đơn vị', en: 'Showing {shown} of {total}' },
  communes_heatmap_caption: {
    vi: 'Bảng xã, phường với bản đồ nhiệt chỉ tiêu: xanh là đạt, đỏ là chưa đạt, xám là thiếu số liệu. Bấm tiêu đề cột để sắp xếp.',
    en: 'Communes with a KPI heat-map: green met, red not met, grey missing. Click a column heading to sort.',
  },
  col_code: { vi: 'Mã', en: 'Code' },
  col_name: { vi: 'Tên đơn vị', en: 'Name' },
  col_type: { vi: 'Loại', en: 'Type' },
  col_former_district: { vi: 'Huyện cũ', en: 'Former district' },
  col_score: { vi: 'Điểm', en: 'Score' },
  col_rank: { vi: 'Hạng', en: 'Rank' },
  sort_by: { vi: 'Sắp xếp theo {column}', en: 'Sort by {column}' },
  heat_cell: { vi: '{kpi}: {value} — {status}', en: '{kpi}: {value} — {status}' },

  // --- commune detail ---
  commune_title: { vi: '{name}', en: '{name}' },
  commune_meta: {
    vi: 'Mã {code} · {type} · trước đây thuộc {district}, {province}',
    en: 'Code {code} · {type} · formerly {district}, {province}',
  },
  commune_kpis: { vi: 'Chỉ tiêu so với mục tiêu qua các năm', en: 'KPIs against targets over the years' },
  commune_warnings: { vi: 'Cảnh báo năm {year}', en: 'Warnings {year}' },
  commune_no_warnings: { vi: 'Không có cảnh báo', en: 'No warnings' },
  commune_cadre_gaps: {
    vi: 'Cán bộ chưa đạt chuẩn vị trí việc làm',
    en: 'Cadres missing job-position standards',
  },
  commune_cadre_gaps_none: { vi: 'Không có cán bộ nào bị cảnh báo', en: 'No cadre warnings' },
  commune_quality: {
    vi: 'Chất lượng dữ liệu Đúng – Đủ – Sạch – Sống',
    en: 'Data quality: correct – complete – clean – live',
  },
  commune_findings: { vi: 'Kiểm tra mềm (quy tắc chất lượng)', en: 'Soft-rule checks' },
  commune_submissions: { vi: 'Lịch sử nộp báo cáo', en: 'Submission history' },
  commune_not_found: { vi: 'Không có xã, phường mã {code}', en: 'No commune with code {code}' },
  commune_rank: {
    vi: 'Hạng {rank}/{total} toàn tỉnh · hạng {rank_in_type} trong loại {type}',
    en: 'Rank {rank} of {total} overall · {rank_in_type} among {type}',
  },
  col_cadre_code: { vi: 'Mã cán bộ', en: 'Staff code' },
  col_position: { vi: 'Chức vụ', en: 'Position' },
  col_leader: { vi: 'Lãnh đạo, quản lý', en: 'Leader' },
  col_reason: { vi: 'Lý do', en: 'Reason' },
  col_detail: { vi: 'Chi tiết', en: 'Detail' },
  col_kpi: { vi: 'Chỉ tiêu', en: 'KPI' },
  col_commune: { vi: 'Xã, phường', en: 'Commune' },
  col_scope: { vi: 'Phạm vi', en: 'Scope' },
  col_projected: { vi: 'Dự báo', en: 'Projected' },
  col_version: { vi: 'Phiên bản', en: 'Version' },
  col_received_at: { vi: 'Thời điểm nhận', en: 'Received' },
  col_on_time: { vi: 'Đúng hạn', en: 'On time' },
  col_voided: { vi: 'Đã hủy', en: 'Voided' },
  col_submitted_by: { vi: 'Người nộp', en: 'Submitted by' },
  col_submission_id: { vi: 'Mã bản nộp', en: 'Submission id' },
  col_rule: { vi: 'Quy tắc', en: 'Rule' },
  col_result: { vi: 'Kết quả', en: 'Result' },
  rule_passed: { vi: 'Đạt', en: 'Passed' },
  rule_failed: { vi: 'Không đạt', en: 'Failed' },
  scope_province: { vi: 'Toàn tỉnh', en: 'Province' },
  scope_commune: { vi: 'Cấp xã', en: 'Commune' },
  reason_leader_not_standard: {
    vi: 'Lãnh đạo chưa đạt chuẩn khung năng lực',
    en: 'Leader does not meet the competency framework',
  },
  reason_not_digitally_proficient: {
    vi: 'Chưa thành thạo văn bản điện tử / DVC trực tuyến',
    en: 'Not proficient in e-documents / online services',
  },
  reason_record_not_digitized: { vi: 'Hồ sơ chưa được số hóa', en: 'Record not digitised' },
  reason_leader_training_missing: {
    vi: 'Lãnh đạo thiếu nội dung bồi dưỡng',
    en: 'Leader missing training tracks',
  },

  // --- data quality ---
  quality_title: { vi: 'Chất lượng dữ liệu năm {year}', en: 'Data quality {year}' },
  quality_intro: {
    vi: 'Đúng – Đủ – Sạch – Sống (mục III.5.2 của Kế hoạch), mỗi tiêu chí 0–100; điểm là trung bình của bốn tiêu chí.',
    en: 'Correct – complete – clean – live (plan section III.5.2), each 0–100; the score is their mean.',
  },
  dq_dung: { vi: 'Đúng', en: 'Correct' },
  dq_du: { vi: 'Đủ', en: 'Complete' },
  dq_sach: { vi: 'Sạch', en: 'Clean' },
  dq_song: { vi: 'Sống', en: 'Live' },
  dq_score: { vi: 'Điểm', en: 'Score' },
  dq_average: { vi: 'Trung bình toàn tỉnh', en: 'Province average' },

  // --- rankings ---
  rankings_title: { vi: 'Xếp hạng xã, phường năm {year}', en: 'Commune ranking {year}' },
  rankings_intro: {
    vi: 'Điểm tổng hợp 0–100 = chỉ tiêu × {kpi} % + đánh giá cán bộ × {evaluation} % + chất lượng dữ liệu × {data_quality} %.',
    en: 'Composite score 0–100 = KPI attainment × {kpi} % + cadre evaluation × {evaluation} % + data quality × {data_quality} %.',
  },
  rankings_type_filter: { vi: 'Xếp hạng trong', en: 'Rank within' },
  rankings_overall: { vi: 'Toàn tỉnh', en: 'Whole province' },
  rankings_own: {
    vi: 'Xã của bạn: hạng {rank}/{total} · điểm {score}',
    en: 'Your commune: rank {rank} of {total} · score {score}',
  },
  rank_change: { vi: 'So với năm trước', en: 'Change vs last year' },
  rank_up: { vi: 'Tăng {n} bậc', en: 'Up {n}' },
  rank_down: { vi: 'Giảm {n} bậc', en: 'Down {n}' },
  rank_same: { vi: 'Giữ nguyên', en: 'Unchanged' },
  rank_new: { vi: 'Chưa xếp hạng năm trước', en: 'Not ranked last year' },
  component_kpi: { vi: 'Chỉ tiêu', en: 'KPI attainment' },
  component_evaluation: { vi: 'Đánh giá cán bộ', en: 'Cadre evaluation' },
  component_data_quality: { vi: 'Chất lượng dữ liệu', en: 'Data quality' },
  chart_ranking_label: { vi: 'Điểm xếp hạng và các thành phần', en: 'Ranking scores and components' },

  // --- warnings ---
  warnings_title: { vi: 'Cảnh báo năm {year}', en: 'Warnings {year}' },
  warnings_policy: { vi: 'Cách xác định mức cảnh báo', en: 'How severities are decided' },
  warnings_projection_note: {
    vi: 'Dự báo: đường thẳng bình phương nhỏ nhất qua các năm đã có số liệu, kéo đến năm cuối giai đoạn, giới hạn 0–100 %.',
    en: 'Projection: a least-squares line through the years with values, extended to the phase’s last year, clamped to 0–100 %.',
  },
  warnings_filter_severity: { vi: 'Lọc theo mức độ', en: 'Filter by severity' },
  warnings_filter_kpi: { vi: 'Lọc theo chỉ tiêu', en: 'Filter by KPI' },
  warnings_filter_commune: { vi: 'Lọc theo xã, phường', en: 'Filter by commune' },
  warnings_count: { vi: '{count} cảnh báo', en: '{count} warnings' },
  chart_severity_label: { vi: 'Số cảnh báo theo mức độ', en: 'Warnings by severity' },

  // --- submit ---
  submit_title: { vi: 'Nộp báo cáo hằng năm', en: 'Submit the annual report' },
  submit_intro: {
    vi: 'Tải lên tệp báo cáo. Hệ thống kiểm tra trước, không ghi gì; bạn xác nhận rồi mới nộp.',
    en: 'Upload the report file. It is checked first and nothing is written; you confirm before it is submitted.',
  },
  submit_for_commune: { vi: 'Nộp cho: {name} ({code})', en: 'Submitting for: {name} ({code})' },
  submit_file_label: {
    vi: 'Chọn tệp báo cáo (.json hoặc mẫu Excel .xlsx)',
    en: 'Choose the report file (.json or the Excel template .xlsx)',
  },
  submit_file_hint: {
    vi: 'Tệp JSON theo mẫu phiên bản 1, hoặc mẫu Excel của tỉnh; tối đa {max_mb} MB. Lỗi trong Excel được chỉ theo ô (ví dụ CanBo!F14).',
    en: 'A JSON file in schema version 1, or the province’s Excel template; at most {max_mb} MB. Excel errors name the cell (e.g. CanBo!F14).',
  },
  submit_template: { vi: 'Mẫu Excel', en: 'Excel template' },
  submit_template_blank: { vi: 'Tải mẫu Excel trống', en: 'Download the blank Excel template' },
  submit_template_prefill: {
    vi: 'Tải mẫu Excel điền sẵn từ bản nộp năm {year}',
    en: 'Download the Excel template pre-filled from the {year} submission',
  },
  submit_template_none: {
    vi: 'Chưa có bản nộp năm {year} để điền sẵn — dùng mẫu trống',
    en: 'No {year} submission to pre-fill from — use the blank template',
  },
  submit_checking: { vi: 'Đang kiểm tra…', en: 'Checking…' },
  submit_sending: { vi: 'Đang nộp…', en: 'Submitting…' },
  submit_valid: { vi: 'Tệp hợp lệ — sẵn sàng nộp', en: 'The file is valid — ready to submit' },
  submit_invalid: {
    vi: 'Tệp có {count} lỗi — sửa rồi tải lên lại',
    en: 'The file has {count} error(s) — fix them and upload again',
  },
  submit_errors_caption: { vi: 'Các lỗi, theo vị trí trường dữ liệu', en: 'Errors, by field path' },
  submit_field: { vi: 'Trường', en: 'Field' },
  submit_message: { vi: 'Lỗi', en: 'Error' },
  submit_soft_findings: {
    vi: 'Lưu ý (vẫn nhận, nhưng giảm điểm Đúng)',
    en: 'Notes (accepted, but lower the Correct score)',
  },
  submit_confirm: { vi: 'Xác nhận nộp báo cáo', en: 'Confirm and submit' },
  submit_cancel: { vi: 'Chọn tệp khác', en: 'Choose another file' },
  submit_done: { vi: 'Đã nhận báo cáo: phiên bản {version}', en: 'Report received: version {version}' },
  submit_done_duplicate: {
    vi: 'Nội dung giống phiên bản mới nhất ({version}) — không ghi thêm',
    en: 'Same content as the latest version ({version}) — nothing new written',
  },
  submit_view_commune: { vi: 'Xem số liệu của xã', en: 'See the commune’s figures' },
  submit_summary: {
    vi: '{commune} · năm {year} · {cadres} cán bộ',
    en: '{commune} · year {year} · {cadres} cadres',
  },
  submit_too_large: {
    vi: 'Tệp quá lớn: tối đa {max_mb} MB',
    en: 'The file is too large: at most {max_mb} MB',
  },
  submit_not_allowed: {
    vi: 'Chỉ cán bộ xã (hoặc quản trị) mới nộp báo cáo',
    en: 'Only commune officers (or administrators) submit reports',
  },
  path_root: { vi: '(toàn bộ tệp)', en: '(whole file)' },
} as const satisfies Record<string, Bilingual>;

export type UiKey = keyof typeof UI;
