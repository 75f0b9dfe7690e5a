import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { buildTemplate, headerToColumn, kImportColumns, normalizeCsv, parseXlsx, rowsFromGrid } from './schoolImport';

async function xlsx(rows: (string | number | boolean | null)[][]): Promise<ArrayBuffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('s');
  rows.forEach((r) => ws.addRow(r));
  return (await wb.xlsx.writeBuffer()) as ArrayBuffer;
}

describe('school import parsing', () => {
  it('maps English and Chinese headers to columns', () => {
    expect(headerToColumn('Day_Students')).toBe('day_students');
    expect(headerToColumn(' 学校标识码 ')).toBe('code');
    expect(headerToColumn('\uFEFFcode')).toBe('code');
    expect(headerToColumn('学校地址')).toBeNull();
  });

  it('reads an XLSX with Chinese headers and labels, skipping blank rows but keeping row numbers', async () => {
    const data = await xlsx([
      ['学校标识码', '学校名称', '学校类型', '城乡', '寄宿', '走读生数', '寄宿生数', '班级数'],
      [4101050001, '金水区第一小学', '小学', '城区', '否', 800, null, 18],
      [null, null, null, null, null, null, null, null],
      ['4101050002', '金水区实验中学', '初中', '镇区', '是', '600', 120, 15],
    ]);
    const parsed = await parseXlsx(data);
    expect(parsed.missing).toEqual([]);
    expect(parsed.rows).toEqual([
      { code: '4101050001', name: '金水区第一小学', school_type: 'primary', locality: 'urban', boarding: false, day_students: 800, boarding_students: 0, class_count: 18 },
      { code: '4101050002', name: '金水区实验中学', school_type: 'junior', locality: 'town', boarding: true, day_students: 600, boarding_students: 120, class_count: 15 },
    ]);
    expect(parsed.sheetRows).toEqual([2, 4]);
  });

  it('passes values it cannot read through unchanged for the server to judge', () => {
    const parsed = rowsFromGrid([
      [...kImportColumns],
      ['41010500', 'X', 'university', 'moon', 'maybe', 'many', -1, 2.5],
    ]);
    expect(parsed.rows[0]).toMatchObject({ code: '41010500', school_type: 'university', locality: 'moon', boarding: 'maybe', day_students: 'many', boarding_students: -1, class_count: 2.5 });
  });

  it('reports missing columns instead of rows', () => {
    const parsed = rowsFromGrid([['code', 'name'], ['1', 'a']]);
    expect(parsed.rows).toEqual([]);
    expect(parsed.missing).toEqual(['school_type', 'locality', 'boarding', 'day_students', 'boarding_students', 'class_count']);
  });

  it('rewrites a Chinese CSV header and leaves the data alone', () => {
    const csv = '\uFEFF学校标识码,学校名称,学校类型,城乡,寄宿,走读生数,寄宿生数,"班级数"\r\n4101050001,"一小,东校区",primary,urban,false,1,0,1\r\n';
    const result = normalizeCsv(csv);
    expect(result.missing).toEqual([]);
    expect(result.csv).toBe(`${kImportColumns.join(',')}\r\n4101050001,"一小,东校区",primary,urban,false,1,0,1\r\n`);
    expect(normalizeCsv('code,name\n').missing).toContain('class_count');
  });

  it('makes a template whose header reads back as every column', async () => {
    for (const chinese of [true, false]) {
      const parsed = await parseXlsx(await buildTemplate(chinese));
      expect(parsed.missing).toEqual([]);
      expect(parsed.rows).toEqual([]);
    }
  });
});
