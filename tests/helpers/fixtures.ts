// Test fixtures: a valid submission builder. National IDs here are fake test values (fixtures only).
import type { Submission } from '@scorecard/data-contracts';

export function cadre(
  i: number,
  overrides: Partial<Submission['cadres'][number]> = {},
): Submission['cadres'][number] {
  return {
    cadre_code: `DT-${String(i).padStart(4, '0')}`,
    national_id: `0872010${String(10000 + i).slice(-5)}`,
    category: 'cong_chuc',
    position: 'Chuyên viên',
    is_leader: false,
    org_unit: 'vp',
    education: 'dai_hoc',
    meets_competency_standard: true,
    edoc_proficient: true,
    online_service_proficient: true,
    record_digitized: true,
    trainings: ['chuyen_sau', 'chuc_danh', 'quan_tri_hien_dai'],
    evaluation: {
      rating: 'tot',
      task_results: 80 + (i % 10),
      service_quality: 80,
      coordination: 78,
      integrity: 90,
    },
    ...overrides,
  };
}

export function validSubmission(overrides: Partial<Submission> = {}): Submission {
  const cadres = [
    cadre(1, { position: 'Chủ tịch UBND', is_leader: true, category: 'can_bo' }),
    cadre(2, { position: 'Phó Chủ tịch UBND', is_leader: true, category: 'can_bo' }),
    cadre(3),
    cadre(4, { category: 'vien_chuc', org_unit: 'dvsn' }),
    cadre(5, { category: 'hop_dong', position: 'Nhân viên hợp đồng', trainings: [] }),
  ];
  return {
    schema_version: 1,
    commune_code: '28249',
    year: 2026,
    report: {
      digital_cadre_management: true,
      survey: {
        citizen_respondents: 400,
        citizen_satisfied: 352,
        business_respondents: 40,
        business_satisfied: 35,
      },
      staffing: [
        { field: 'tu_phap_ho_tich', required: 2, actual: 2 },
        { field: 'van_phong_thong_ke', required: 1, actual: 1 },
      ],
      staff_quota: 32,
      civil_servants: 1,
      dialogues_held: 2,
      citizen_reception_days: 48,
      complaints_received: 6,
      complaints_resolved_on_time: 5,
      initiatives: [{ title: 'Số hóa hồ sơ một cửa', replicated: true }],
    },
    cadres,
    ...overrides,
  };
}
