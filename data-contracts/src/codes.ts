// Closed code lists of submission schema v1, with their Vietnamese and English labels.
// Every list is versioned with the schema: adding a code is a schema change (docs/contracts.md).

export interface CodeLabel {
  vi: string;
  en: string;
}

function codeList<const T extends Record<string, CodeLabel>>(labels: T) {
  const codes = Object.keys(labels) as [keyof T & string, ...(keyof T & string)[]];
  return { codes, labels };
}

export const CATEGORY = codeList({
  can_bo: { vi: 'Cán bộ', en: 'Elected cadre' },
  cong_chuc: { vi: 'Công chức', en: 'Civil servant' },
  vien_chuc: { vi: 'Viên chức', en: 'Public employee' },
  hop_dong: { vi: 'Hợp đồng', en: 'Contract staff' },
});

/** Categories that make a person an "active cadre" in the plan's sense (docs/kpis.md, Units). */
export const ACTIVE_CATEGORIES = ['can_bo', 'cong_chuc', 'vien_chuc'] as const;

export const ORG_UNIT = codeList({
  vp: { vi: 'Văn phòng HĐND và UBND', en: 'Office of the People’s Council and Committee' },
  kt: { vi: 'Phòng Kinh tế', en: 'Economic Division' },
  kthtdt: { vi: 'Phòng Kinh tế, Hạ tầng và Đô thị', en: 'Economy, Infrastructure and Urban Division' },
  vhxh: { vi: 'Phòng Văn hóa – Xã hội', en: 'Culture and Society Division' },
  tthcc: { vi: 'Trung tâm Phục vụ hành chính công', en: 'Public Administration Service Centre' },
  bchqs: { vi: 'Ban Chỉ huy quân sự', en: 'Military Command' },
  dvsn: { vi: 'Đơn vị sự nghiệp', en: 'Public service unit' },
  dang_doan_the: { vi: 'Khối Đảng, Mặt trận và đoàn thể', en: 'Party, Front and mass organisations' },
});

export const EDUCATION = codeList({
  tien_si: { vi: 'Tiến sĩ', en: 'Doctorate' },
  thac_si: { vi: 'Thạc sĩ', en: 'Master’s' },
  dai_hoc: { vi: 'Đại học', en: 'Bachelor’s' },
  cao_dang: { vi: 'Cao đẳng', en: 'College' },
  trung_cap: { vi: 'Trung cấp', en: 'Vocational' },
  khac: { vi: 'Khác', en: 'Other' },
});

export const TRAINING = codeList({
  chuyen_sau: { vi: 'Bồi dưỡng kỹ năng chuyên sâu', en: 'In-depth skills training' },
  chuc_danh: { vi: 'Bồi dưỡng theo chức danh', en: 'Title-based training' },
  quan_tri_hien_dai: { vi: 'Quản lý, quản trị hiện đại', en: 'Modern management and governance' },
  chuyen_doi_so: { vi: 'Chuyển đổi số', en: 'Digital transformation' },
});

export const RATING = codeList({
  xuat_sac: { vi: 'Hoàn thành xuất sắc nhiệm vụ', en: 'Excellent' },
  tot: { vi: 'Hoàn thành tốt nhiệm vụ', en: 'Good' },
  hoan_thanh: { vi: 'Hoàn thành nhiệm vụ', en: 'Satisfactory' },
  khong_hoan_thanh: { vi: 'Không hoàn thành nhiệm vụ', en: 'Unsatisfactory' },
});

export const GENDER = codeList({
  nam: { vi: 'Nam', en: 'Male' },
  nu: { vi: 'Nữ', en: 'Female' },
});

export const STAFFING_FIELD = codeList({
  van_phong_thong_ke: { vi: 'Văn phòng – thống kê', en: 'Office – statistics' },
  tu_phap_ho_tich: { vi: 'Tư pháp – hộ tịch', en: 'Justice – civil registry' },
  dia_chinh_xay_dung: { vi: 'Địa chính – xây dựng', en: 'Land – construction' },
  tai_chinh_ke_toan: { vi: 'Tài chính – kế toán', en: 'Finance – accounting' },
  van_hoa_xa_hoi: { vi: 'Văn hóa – xã hội', en: 'Culture – society' },
  kinh_te: { vi: 'Kinh tế', en: 'Economy' },
  nong_nghiep_moi_truong: { vi: 'Nông nghiệp – môi trường', en: 'Agriculture – environment' },
  ha_tang_do_thi: { vi: 'Hạ tầng – đô thị', en: 'Infrastructure – urban' },
  chuyen_doi_so: { vi: 'Chuyển đổi số – công nghệ thông tin', en: 'Digital transformation – IT' },
  phuc_vu_hanh_chinh_cong: { vi: 'Phục vụ hành chính công', en: 'Public administration service' },
  quan_su: { vi: 'Chỉ huy quân sự', en: 'Military command' },
  y_te_giao_duc: { vi: 'Y tế – giáo dục', en: 'Health – education' },
});

export const COMMUNE_TYPE = codeList({
  xa: { vi: 'Xã', en: 'Commune' },
  phuong: { vi: 'Phường', en: 'Ward' },
  dac_khu: { vi: 'Đặc khu', en: 'Special zone' },
});

export function ageBand(birthYear: number | undefined, year: number): string | null {
  if (birthYear === undefined) return null;
  const age = year - birthYear;
  if (age < 30) return 'duoi_30';
  if (age < 40) return '30_39';
  if (age < 50) return '40_49';
  if (age < 60) return '50_59';
  return 'tu_60';
}
