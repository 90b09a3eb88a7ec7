// The vi/en catalogue of the .xlsx template and the meeting packs: errors only the workbook parser can raise,
// the template's sheet titles, column headers and instructions, and the words of the meeting-pack workbook and
// PDF. Owned by the excel/exports engineer; merged into the catalogue index by the lead.
import type { Bilingual } from './index.ts';

// --- errors raised while reading a filled template (paths are `Sheet!Cell`) ---
export const EXCEL_ERRORS = {
  excel_not_workbook: {
    vi: 'Tệp không phải là mẫu báo cáo Excel (.xlsx) hợp lệ',
    en: 'The file is not a valid Excel (.xlsx) submission template',
  },
  excel_too_large: {
    vi: 'Tệp Excel quá lớn hoặc có vùng ô quá rộng khi giải nén (tối đa {max_mb} MB) — hãy dùng mẫu gốc',
    en: 'The Excel file is too large or declares too wide a cell range once unpacked (at most {max_mb} MB) — use the original template',
  },
  excel_too_complex: {
    vi: 'Tệp Excel cần quá nhiều thời gian hoặc bộ nhớ để đọc (quá {seconds} giây hoặc {max_mb} MB) — hãy mở lại mẫu gốc, chép dữ liệu vào và gửi lại',
    en: 'The Excel file takes too long or too much memory to read (over {seconds} s or {max_mb} MB) — copy the data into a fresh template and send it again',
  },
  excel_busy: {
    vi: 'Máy chủ đang đọc nhiều tệp Excel cùng lúc — vui lòng gửi lại sau ít phút',
    en: 'The server is reading many Excel files at once — please send the file again in a few minutes',
  },
  excel_sheet_missing: {
    vi: 'Thiếu trang tính "{sheet}" của mẫu báo cáo — hãy tải lại mẫu và nhập lại',
    en: 'The template sheet "{sheet}" is missing — download the template again',
  },
  excel_column_missing: {
    vi: 'Thiếu cột "{column}" (mã trường {code}) — không xóa, không sửa dòng mã trường của mẫu',
    en: 'Column "{column}" (field code {code}) is missing — do not delete or edit the template’s field-code row',
  },
  excel_too_many_rows: {
    vi: 'Trang tính "{sheet}" có quá nhiều dòng dữ liệu (tối đa {max})',
    en: 'Sheet "{sheet}" has too many data rows (at most {max})',
  },
  excel_commune_unknown: {
    vi: 'Không nhận ra xã, phường "{value}" — chọn trong danh sách thả xuống (mã – tên, ví dụ "28249 – Phường Đạo Thạnh")',
    en: 'Commune "{value}" is not recognised — pick it from the drop-down (code – name, e.g. "28249 – Phường Đạo Thạnh")',
  },
  excel_merged_cells: {
    vi: 'Các ô {range} đang được gộp (merge) trên ô nhập số liệu — hãy bỏ gộp: mỗi ô chứa đúng một giá trị',
    en: 'Cells {range} are merged over data cells — unmerge them: each cell holds exactly one value',
  },
  excel_formula_without_value: {
    vi: 'Ô chứa công thức nhưng chưa có giá trị — hãy nhập trực tiếp giá trị (công thức không được tính)',
    en: 'The cell holds a formula without a computed value — type the value itself (formulas are never evaluated)',
  },
  excel_not_a_number: {
    vi: 'Ô này phải là một số nguyên (giá trị hiện có: "{value}")',
    en: 'This cell must hold a whole number (found "{value}")',
  },
  excel_date_for_year: {
    vi: 'Ô này đang ở dạng ngày tháng (hiện "{shown}") nhưng cần ghi năm — hãy định dạng ô là Số và gõ năm, ví dụ {year}',
    en: 'This cell is formatted as a date (it shows "{shown}") but needs a year — format the cell as Number and type the year, e.g. {year}',
  },
  excel_date_for_number: {
    vi: 'Ô này đang ở dạng ngày tháng (hiện "{shown}") nhưng cần một số nguyên — hãy định dạng ô là Số rồi gõ lại số',
    en: 'This cell is formatted as a date (it shows "{shown}") but needs a whole number — format the cell as Number and type the number again',
  },
  excel_percent_for_number: {
    vi: 'Ô này đang ở dạng phần trăm (hiện "{shown}") nhưng cần một số nguyên (số người, số việc), không phải tỷ lệ — hãy định dạng ô là Số rồi gõ lại số',
    en: 'This cell is formatted as a percentage (it shows "{shown}") but needs a whole number (a count, not a rate) — format the cell as Number and type the number again',
  },
  excel_thousands_separator: {
    vi: 'Ô này ghi "{value}" dạng văn bản — hãy gõ số không có dấu phân cách hàng nghìn: {meant}',
    en: 'This cell holds "{value}" as text — type the number without thousands separators: {meant}',
  },
  excel_not_text: {
    vi: 'Ô này phải là văn bản, không phải ngày tháng hay giá trị lỗi',
    en: 'This cell must hold text, not a date or an error value',
  },
} as const satisfies Record<string, Bilingual>;

export type ExcelErrorCode = keyof typeof EXCEL_ERRORS;

// --- the submission template: booleans, sheet titles, column headers, instructions ---
export const TEMPLATE_BOOLEAN = {
  yes: { vi: 'Có', en: 'Yes' },
  no: { vi: 'Không', en: 'No' },
} as const satisfies Record<string, Bilingual>;

/** Column and row headers of the template, by field code (the code row of each sheet). */
export const TEMPLATE_FIELDS = {
  schema_version: { vi: 'Phiên bản mẫu báo cáo (giữ nguyên 1)', en: 'Template version (keep 1)' },
  commune_code: { vi: 'Xã, phường, đặc khu (mã – tên)', en: 'Commune or ward (code – name)' },
  year: { vi: 'Năm báo cáo', en: 'Report year' },
  'report.digital_cadre_management': {
    vi: 'Đã chuyển đổi số công tác quản lý cán bộ',
    en: 'Cadres managed digitally',
  },
  'report.survey.citizen_respondents': { vi: 'Số người dân được khảo sát', en: 'Citizens surveyed' },
  'report.survey.citizen_satisfied': { vi: 'Số người dân hài lòng', en: 'Citizens satisfied' },
  'report.survey.business_respondents': { vi: 'Số doanh nghiệp được khảo sát', en: 'Businesses surveyed' },
  'report.survey.business_satisfied': { vi: 'Số doanh nghiệp hài lòng', en: 'Businesses satisfied' },
  'report.staff_quota': { vi: 'Biên chế công chức được giao', en: 'Civil-servant quota' },
  'report.civil_servants': { vi: 'Số công chức hiện có', en: 'Civil servants in post' },
  'report.dialogues_held': { vi: 'Số buổi đối thoại với Nhân dân', en: 'Public dialogues held' },
  'report.citizen_reception_days': { vi: 'Số ngày tiếp công dân', en: 'Citizen reception days' },
  'report.complaints_received': { vi: 'Số đơn khiếu nại, tố cáo đã nhận', en: 'Complaints received' },
  'report.complaints_resolved_on_time': {
    vi: 'Số đơn giải quyết đúng hạn',
    en: 'Complaints resolved on time',
  },
  field: { vi: 'Lĩnh vực chuyên môn', en: 'Specialism' },
  required: { vi: 'Số công chức cần bố trí', en: 'Civil servants required' },
  actual: { vi: 'Số công chức đã bố trí', en: 'Civil servants in post' },
  title: { vi: 'Tên sáng kiến', en: 'Initiative' },
  replicated: { vi: 'Được nhân rộng', en: 'Replicated' },
  row_no: { vi: 'STT', en: 'No.' },
  cadre_code: { vi: 'Mã cán bộ', en: 'Staff code' },
  national_id: { vi: 'Số CCCD (12 chữ số, dạng văn bản)', en: 'National ID (12 digits, as text)' },
  category: { vi: 'Phân loại', en: 'Category' },
  position: { vi: 'Chức vụ, chức danh', en: 'Position' },
  is_leader: { vi: 'Lãnh đạo, quản lý', en: 'Leader or manager' },
  org_unit: { vi: 'Cơ quan, đơn vị', en: 'Unit' },
  education: { vi: 'Trình độ chuyên môn', en: 'Education' },
  meets_competency_standard: { vi: 'Đạt chuẩn khung năng lực VTVL', en: 'Meets the competency framework' },
  edoc_proficient: { vi: 'Thành thạo văn bản điện tử', en: 'Proficient in e-documents' },
  online_service_proficient: {
    vi: 'Thành thạo dịch vụ công trực tuyến',
    en: 'Proficient in online services',
  },
  record_digitized: { vi: 'Hồ sơ đã số hóa', en: 'Record digitised' },
  'trainings.chuyen_sau': { vi: 'Đã bồi dưỡng kỹ năng chuyên sâu', en: 'Trained: in-depth skills' },
  'trainings.chuc_danh': { vi: 'Đã bồi dưỡng theo chức danh', en: 'Trained: title-based' },
  'trainings.quan_tri_hien_dai': {
    vi: 'Đã bồi dưỡng quản lý, quản trị hiện đại',
    en: 'Trained: modern governance',
  },
  'trainings.chuyen_doi_so': { vi: 'Đã bồi dưỡng chuyển đổi số', en: 'Trained: digital transformation' },
  'evaluation.rating': { vi: 'Xếp loại (NĐ 335/2025)', en: 'Rating (Decree 335/2025)' },
  'evaluation.task_results': { vi: 'Điểm kết quả thực hiện nhiệm vụ', en: 'Score: task results' },
  'evaluation.service_quality': { vi: 'Điểm chất lượng phục vụ', en: 'Score: service quality' },
  'evaluation.coordination': { vi: 'Điểm năng lực phối hợp', en: 'Score: coordination' },
  'evaluation.integrity': { vi: 'Điểm kỷ luật, liêm chính', en: 'Score: integrity' },
  on_probation: { vi: 'Đang tập sự', en: 'On probation' },
  rotated_in: { vi: 'Luân chuyển từ tỉnh về', en: 'Rotated in from the province' },
  birth_year: { vi: 'Năm sinh', en: 'Birth year' },
  gender: { vi: 'Giới tính', en: 'Gender' },
} as const satisfies Record<string, Bilingual>;

export type TemplateFieldCode = keyof typeof TEMPLATE_FIELDS;

export const TEMPLATE_TEXT = {
  sheet_HuongDan: {
    vi: 'HƯỚNG DẪN NHẬP MẪU BÁO CÁO CÁN BỘ CẤP XÃ',
    en: 'HOW TO FILL IN THE COMMUNE CADRE REPORT',
  },
  sheet_BaoCao: {
    vi: 'BÁO CÁO CỦA XÃ, PHƯỜNG — mỗi dòng một chỉ tiêu, nhập ở cột "Giá trị"',
    en: 'COMMUNE REPORT — one item per row, fill in the "Value" column',
  },
  sheet_BienChe: {
    vi: 'BỐ TRÍ CÔNG CHỨC THEO LĨNH VỰC — mỗi dòng một lĩnh vực',
    en: 'STAFFING BY SPECIALISM — one row per specialism',
  },
  sheet_SangKien: {
    vi: 'SÁNG KIẾN — mỗi dòng một sáng kiến (có thể để trống)',
    en: 'INITIATIVES — one row each (may be empty)',
  },
  sheet_CanBo: {
    vi: 'DANH SÁCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC — mỗi dòng một người, toàn bộ danh sách; không ghi họ tên',
    en: 'CADRE ROSTER — one row per person, the complete roster; no names',
  },
  header_item: { vi: 'Nội dung', en: 'Item' },
  header_value: { vi: 'Giá trị', en: 'Value' },
  header_code: { vi: 'Mã trường', en: 'Field code' },
  example_heading: {
    vi: 'VÍ DỤ một dòng cán bộ (không nhập vào trang này):',
    en: 'EXAMPLE of one cadre row (do not type on this sheet):',
  },
  instructions: {
    vi: [
      'Mẫu gồm 4 trang tính cần nhập: BaoCao (báo cáo chung), BienChe (bố trí công chức), SangKien (sáng kiến), CanBo (danh sách cán bộ).',
      'Không đổi tên trang tính, không xóa hoặc sửa dòng "mã trường" (dòng chữ nhỏ màu xám dưới tiêu đề).',
      'Các ô Có/Không và các danh mục: chọn từ danh sách thả xuống.',
      'Cột Số CCCD đã định dạng Văn bản: nhập đủ 12 chữ số, kể cả số 0 ở đầu. Nếu Excel bỏ mất số 0, hệ thống sẽ báo lỗi tại ô đó.',
      'Khi sửa báo cáo đã gửi, có thể để trống Số CCCD của người đã có trong báo cáo trước (hệ thống nhận theo Mã cán bộ).',
      'Các số lượng là số nguyên, không âm; điểm đánh giá từ 0 đến 100. Đánh giá để trống cả 5 ô nếu chưa đánh giá.',
      'Năm sinh, giới tính, tập sự, luân chuyển: không bắt buộc.',
      'Không dùng công thức: hệ thống chỉ đọc giá trị, không tính công thức.',
      'Hạn báo cáo: ngày 05 tháng 11 hằng năm. Mọi lỗi được báo cùng lúc, kèm vị trí ô (ví dụ CanBo!C5).',
    ].join('\n'),
    en: [
      'Four sheets to fill: BaoCao (report), BienChe (staffing), SangKien (initiatives), CanBo (roster).',
      'Do not rename sheets or edit the small grey field-code row under the headers.',
      'Yes/No cells and code lists: pick from the drop-down.',
      'The CCCD column is Text: type all 12 digits, including a leading zero. If Excel drops it, the cell is reported.',
      'When correcting a sent report, the CCCD of a person already in the previous report may stay empty (matched by staff code).',
      'Counts are whole numbers, not negative; scores 0–100. Leave all five evaluation cells empty if not evaluated yet.',
      'Birth year, gender, probation, rotation: optional.',
      'No formulas: only values are read, formulas are never evaluated.',
      'Deadline: 5 November each year. Every error is reported at once with its cell (e.g. CanBo!C5).',
    ].join('\n'),
  },
} as const satisfies Record<string, Bilingual>;

// --- meeting packs (workbook sheets, CSV names stay ASCII codes; the PDF in Vietnamese) ---
const EXPORT_TEXT = {
  meeting_annual: { vi: 'Báo cáo hằng năm {year}', en: 'Annual report {year}' },
  meeting_review: { vi: 'Sơ kết giai đoạn {from} – {to}', en: 'Mid-term review {from}–{to}' },
  meeting_final: { vi: 'Tổng kết giai đoạn {from} – {to}', en: 'Final assessment {from}–{to}' },
  as_of: { vi: 'Số liệu tính đến {instant} (giờ Việt Nam)', en: 'Data as of {instant} (Viet Nam time)' },
  page: { vi: 'Trang', en: 'Page' },
  plan: { vi: 'Kế hoạch: {title} (phiên bản {version})', en: 'Plan: {title} (version {version})' },
  sheet_summary: { vi: 'Tổng hợp', en: 'Summary' },
  sheet_communes: { vi: 'Chỉ tiêu theo xã', en: 'KPIs by commune' },
  sheet_rankings: { vi: 'Xếp hạng', en: 'Rankings' },
  sheet_warnings: { vi: 'Cảnh báo', en: 'Warnings' },
  sheet_quality: { vi: 'Chất lượng dữ liệu', en: 'Data quality' },
  sheet_register: { vi: 'Báo cáo đã dùng', en: 'Submissions used' },
  col_year: { vi: 'Năm', en: 'Year' },
  col_phase: { vi: 'Giai đoạn', en: 'Phase' },
  col_kpi: { vi: 'Chỉ tiêu', en: 'KPI' },
  col_kpi_code: { vi: 'Mã chỉ tiêu', en: 'KPI code' },
  col_value: { vi: 'Kết quả (%)', en: 'Value (%)' },
  col_target: { vi: 'Mục tiêu', en: 'Target' },
  col_target_pct: { vi: 'Mục tiêu (%)', en: 'Target (%)' },
  col_numerator: { vi: 'Tử số', en: 'Numerator' },
  col_denominator: { vi: 'Mẫu số', en: 'Denominator' },
  col_met: { vi: 'Đánh giá', en: 'Assessment' },
  col_communes_reporting: { vi: 'Số xã báo cáo', en: 'Communes reporting' },
  col_communes_expected: { vi: 'Số xã, phường', en: 'Communes' },
  col_coverage: { vi: 'Tỷ lệ xã báo cáo (%)', en: 'Coverage (%)' },
  col_gap_units: { vi: 'Còn thiếu (đơn vị)', en: 'Short by (units)' },
  col_year_closed: { vi: 'Đã qua hạn báo cáo', en: 'Deadline passed' },
  col_commune_code: { vi: 'Mã xã', en: 'Commune code' },
  col_commune: { vi: 'Xã, phường', en: 'Commune' },
  col_type: { vi: 'Loại', en: 'Type' },
  col_score: { vi: 'Điểm tổng hợp', en: 'Score' },
  col_rank: { vi: 'Hạng', en: 'Rank' },
  col_rank_in_type: { vi: 'Hạng trong loại', en: 'Rank in type' },
  col_kpi_score: { vi: 'Điểm chỉ tiêu', en: 'KPI score' },
  col_evaluation_score: { vi: 'Điểm đánh giá', en: 'Evaluation score' },
  col_data_quality_score: { vi: 'Điểm chất lượng dữ liệu', en: 'Data-quality score' },
  col_scope: { vi: 'Phạm vi', en: 'Scope' },
  col_projected: { vi: 'Dự báo cuối giai đoạn (%)', en: 'Projected at phase end (%)' },
  col_severity: { vi: 'Mức cảnh báo', en: 'Severity' },
  col_dung: { vi: 'Đúng', en: 'Correct' },
  col_du: { vi: 'Đủ', en: 'Complete' },
  col_sach: { vi: 'Sạch', en: 'Clean' },
  col_song: { vi: 'Sống', en: 'Live' },
  col_submission_id: { vi: 'Mã báo cáo', en: 'Submission id' },
  col_version: { vi: 'Lần gửi', en: 'Version' },
  col_received_at: { vi: 'Thời điểm nhận (UTC)', en: 'Received (UTC)' },
  col_on_time: { vi: 'Đúng hạn', en: 'On time' },
  col_content_sha256: { vi: 'Mã băm nội dung', en: 'Content hash' },
  met_yes: { vi: 'Đạt', en: 'Met' },
  met_no: { vi: 'Không đạt', en: 'Not met' },
  met_none: { vi: 'Chưa có số liệu', en: 'No value' },
  met_low_coverage: {
    vi: 'Chưa đánh giá: {reporting}/{expected} xã báo cáo',
    en: 'Not judged: {reporting}/{expected} communes reported',
  },
  no_target: { vi: 'Theo dõi', en: 'Tracked' },
  scope_province: { vi: 'Toàn tỉnh', en: 'Province' },
  scope_commune: { vi: 'Xã, phường', en: 'Commune' },
  severity_critical: { vi: 'Nghiêm trọng', en: 'Critical' },
  severity_high: { vi: 'Cao', en: 'High' },
  severity_medium: { vi: 'Trung bình', en: 'Medium' },
  severity_missing: { vi: 'Thiếu số liệu', en: 'Missing' },
  pdf_title: {
    vi: 'BÁO CÁO CHẤT LƯỢNG CÁN BỘ CẤP XÃ\nTỉnh {province}',
    en: 'COMMUNE CADRE QUALITY REPORT\n{province} province',
  },
  pdf_section_summary: { vi: 'I. Kết quả thực hiện các chỉ tiêu toàn tỉnh', en: 'I. Province KPIs' },
  pdf_section_charts: { vi: 'II. Biểu đồ', en: 'II. Charts' },
  pdf_section_rankings: {
    vi: 'III. Xếp hạng xã, phường (10 đơn vị dẫn đầu và 10 đơn vị cuối)',
    en: 'III. Commune ranking (top and bottom ten)',
  },
  pdf_section_warnings: {
    vi: 'IV. Cảnh báo toàn tỉnh và số cảnh báo theo mức',
    en: 'IV. Province warnings and warning counts',
  },
  pdf_section_quality: { vi: 'V. Chất lượng dữ liệu (Đúng – Đủ – Sạch – Sống)', en: 'V. Data quality' },
  pdf_submissions: {
    vi: 'Số báo cáo được sử dụng: {count}; số xã, phường đã báo cáo năm {year}: {reported}/{total}',
    en: 'Submissions used: {count}; communes reporting in {year}: {reported}/{total}',
  },
  pdf_warning_counts: {
    vi: 'Năm {year}: {critical} nghiêm trọng, {high} cao, {medium} trung bình, {missing} thiếu số liệu',
    en: '{year}: {critical} critical, {high} high, {medium} medium, {missing} missing',
  },
  pdf_quality_line: {
    vi: 'Năm {year}: điểm chất lượng dữ liệu trung bình {score}; {reported} xã, phường có báo cáo',
    en: '{year}: mean data-quality score {score}; {reported} communes reported',
  },
  pdf_policy_note: { vi: 'Ghi chú: {note}', en: 'Note: {note}' },
  pdf_chart_kpis: {
    vi: 'Chỉ tiêu toàn tỉnh so với mục tiêu, năm {year}',
    en: 'Province KPIs against targets, {year}',
  },
  pdf_chart_trend: { vi: 'Diễn biến các chỉ tiêu qua các năm', en: 'KPI trends over the years' },
  pdf_chart_ranking: { vi: 'Điểm tổng hợp của xã, phường, năm {year}', en: 'Commune scores, {year}' },
  chart_value: { vi: 'Kết quả', en: 'Value' },
  chart_target: { vi: 'Mục tiêu', en: 'Target' },
  chart_projection: { vi: 'Dự báo cuối giai đoạn', en: 'Projection to the phase end' },
  chart_severity: { vi: 'Số cảnh báo theo mức, năm {year}', en: 'Warnings by severity, {year}' },
  chart_quality: {
    vi: 'Chất lượng dữ liệu trung bình toàn tỉnh, năm {year}',
    en: 'Province mean data quality, {year}',
  },
  pdf_section_phase: {
    vi: 'Kết quả cuối giai đoạn so với mục tiêu giai đoạn',
    en: 'Phase-end results against the phase targets',
  },
  sheet_phase: { vi: 'Kết quả giai đoạn', en: 'Phase results' },
  col_wording: { vi: 'Mục tiêu theo Kế hoạch', en: 'Target as worded in the plan' },
  col_comparator: { vi: 'Phép so sánh', en: 'Comparator' },
  comparator_gt: { vi: 'trên (lớn hơn hẳn)', en: 'above (strictly)' },
  comparator_gte: { vi: 'từ (đạt trở lên)', en: 'at least' },
  col_is_latest: { vi: 'Bản mới nhất', en: 'Latest' },
  col_phase_end_year: { vi: 'Năm cuối giai đoạn', en: 'Phase end year' },
  pdf_footer: { vi: 'Trang {page}/{pages}', en: 'Page {page}/{pages}' },
  pdf_generated: {
    vi: 'Tệp dữ liệu kèm theo: bảng tính .xlsx, các tệp .csv và manifest.json (mã băm để kiểm chứng).',
    en: 'Attached data: the .xlsx workbook, CSV files and manifest.json (hashes for verification).',
  },
} as const satisfies Record<string, Bilingual>;

export type ExportTextCode = keyof typeof EXPORT_TEXT;

function fillTemplate(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** `{code, message_vi, message_en}` of a workbook-parser error (same shape as `message()` of the catalogue). */
export function excelMessage(code: ExcelErrorCode, params: Record<string, string | number> = {}) {
  const entry: Bilingual = EXCEL_ERRORS[code];
  return { code, message_vi: fillTemplate(entry.vi, params), message_en: fillTemplate(entry.en, params) };
}

/** Vietnamese (or English) text of an export phrase, placeholders filled. */
export function exportText(
  code: ExportTextCode,
  params: Record<string, string | number> = {},
  lang: 'vi' | 'en' = 'vi',
): string {
  return fillTemplate(EXPORT_TEXT[code][lang], params);
}
