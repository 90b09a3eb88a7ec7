// stored.ts: the leader-title check lower-cases with toLowerCase (no ICU call per cadre); this holds only if
// Vietnamese has no locale-specific case mapping, which this checks over the whole Vietnamese alphabet.
import { PLAN } from '@scorecard/data-contracts';
import { titleSuggestsLeader } from '@scorecard/functions/ingest/stored.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const VI_LETTERS =
  'AĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXYÁÀẢÃẠẮẰẲẴẶẤẦẨẪẬÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ' +
  'aăâbcdđeêghiklmnoôơpqrstuưvxy ';

describe('leader-title check', () => {
  it('toLowerCase equals toLocaleLowerCase("vi") on Vietnamese text, composed and decomposed', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...VI_LETTERS), { maxLength: 40 }), (chars) => {
        const s = chars.join('');
        for (const form of [s, s.normalize('NFC'), s.normalize('NFD')])
          expect(form.toLowerCase()).toBe(form.toLocaleLowerCase('vi'));
      }),
    );
  });

  it('recognises each plan keyword in any case, and not an unrelated title', () => {
    for (const k of PLAN.policy.data_quality.leader_title_keywords) {
      expect(titleSuggestsLeader(PLAN, `Phó ${k.toLocaleUpperCase('vi')} xã`)).toBe(true);
      expect(titleSuggestsLeader(PLAN, k)).toBe(true);
    }
    expect(titleSuggestsLeader(PLAN, 'Công chức Văn phòng - Thống kê')).toBe(false);
  });
});
