import { describe, expect, it } from 'vitest';
import { checkDraft, draftFrom, moveRow, newRow, placeServerErrors, suggestCode, toInput, type ChecklistDraft } from './checklistForm';
import { kFireChecklist } from '@/views/hazards/hazardFixtures';

function valid(): ChecklistDraft {
  return { key: 'dorm', name: '宿舍安全检查表', items: [newRow({ code: 'D01', text: '无违规电器', category: 'electricity' })] };
}

describe('checkDraft', () => {
  it('accepts a draft within every limit', () => {
    expect(checkDraft(valid())).toEqual({});
  });

  it.each([
    ['key of 40', { key: 'k'.repeat(40) }, undefined],
    ['key of 41', { key: 'k'.repeat(41) }, 'keyFormat'],
    ['upper-case key', { key: 'Dorm' }, 'keyFormat'],
    ['key with a dash', { key: 'dorm-1' }, 'keyFormat'],
    ['blank key', { key: '  ' }, 'keyRequired'],
  ])('%s', (_, patch, expected) => {
    expect(checkDraft({ ...valid(), ...patch }).key?.key).toBe(expected);
  });

  it('counts the name in characters, as the server does (60 fits, 61 does not)', () => {
    expect(checkDraft({ ...valid(), name: '安'.repeat(60) }).name).toBeUndefined();
    expect(checkDraft({ ...valid(), name: '𠀀'.repeat(60) }).name).toBeUndefined();
    expect(checkDraft({ ...valid(), name: '安'.repeat(61) }).name).toEqual({ key: 'tooLong', args: { max: 60 } });
  });

  it('takes 1 to 100 items', () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => newRow({ code: `C${i}`, text: '项', category: 'other' }));
    expect(checkDraft({ ...valid(), items: rows(100) })).toEqual({});
    expect(checkDraft({ ...valid(), items: rows(101) }).items).toEqual({ key: 'itemCount', args: { max: 100 } });
    expect(checkDraft({ ...valid(), items: [] }).items?.key).toBe('itemCount');
  });

  it('names the row of each problem: code format and duplicates, text 200, how 500, category', () => {
    const d = valid();
    const [a, b, c] = [newRow({ code: 'A.1-x_', text: '文'.repeat(200), category: 'fire', how: '法'.repeat(500) }), newRow({ code: 'A.1-x_', text: '文'.repeat(201), category: '', how: '法'.repeat(501) }), newRow({ code: 'c'.repeat(21), text: '文' })];
    d.items = [a, b, c];
    expect(checkDraft(d)).toEqual({
      [`${b.uid}.code`]: { key: 'codeDuplicate' },
      [`${b.uid}.text`]: { key: 'tooLong', args: { max: 200 } },
      [`${b.uid}.category`]: { key: 'categoryRequired' },
      [`${b.uid}.how`]: { key: 'tooLong', args: { max: 500 } },
      [`${c.uid}.code`]: { key: 'codeFormat', args: { max: 20 } },
      [`${c.uid}.category`]: { key: 'categoryRequired' },
    });
  });
});

describe('the editor’s rows', () => {
  it('fills a new version from a checklist and sends its items back unchanged', () => {
    const draft = draftFrom(kFireChecklist);
    expect(draft.key).toBe('fire');
    expect(toInput(draft)).toEqual({ key: 'fire', name: '消防安全检查表', items: kFireChecklist.items });
  });

  it('suggests a code not taken, moves rows and places server errors on the row sent', () => {
    const draft = draftFrom(null);
    expect(draft.items.map((r) => r.code)).toEqual(['01']);
    draft.items.push(newRow({ code: '03' }));
    expect(suggestCode(draft.items)).toBe('04');
    const sent = [...draft.items];
    moveRow(draft.items, 1, -1);
    moveRow(draft.items, 0, -1);
    expect(draft.items.map((r) => r.code)).toEqual(['03', '01']);
    expect(placeServerErrors([{ field: 'items[1].code', message: 'dup' }, { field: 'items[1].code', message: 'bad' }, { field: 'key', message: 'k' }], sent)).toEqual({
      [`${sent[1].uid}.code`]: 'dup; bad',
      key: 'k',
    });
  });
});
