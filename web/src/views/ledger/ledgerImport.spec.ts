import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { columnLetter, ledgerFromGrids, parseCellRef, parseLedgerXlsx, placeErrors, sheetKind } from './ledgerImport';

type Row = (string | number | boolean | Date | null)[];

async function workbook(sheets: Record<string, Row[]>): Promise<ArrayBuffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    rows.forEach((r) => ws.addRow(r));
  }
  return (await wb.xlsx.writeBuffer()) as ArrayBuffer;
}

describe('ledger template headers', () => {
  it('finds sheets by name in either language', () => {
    expect(sheetKind('guards')).toBe('guards');
    expect(sheetKind(' 保安 ')).toBe('guards');
    expect(sheetKind('Devices')).toBe('devices');
    expect(sheetKind('设备')).toBe('devices');
    expect(sheetKind('说明')).toBeNull();
  });

  it('names spreadsheet columns by letter', () => {
    expect(columnLetter(1)).toBe('A');
    expect(columnLetter(26)).toBe('Z');
    expect(columnLetter(27)).toBe('AA');
    expect(columnLetter(53)).toBe('BA');
  });

  it('reads cell references of server errors', () => {
    expect(parseCellRef('guards!D7')).toEqual({ sheet: 'guards', column: 'D', row: 7 });
    expect(parseCellRef("'保安 名单'!$AB$12")).toEqual({ sheet: '保安 名单', column: 'AB', row: 12 });
    expect(parseCellRef('guards[0].name')).toBeNull();
    expect(parseCellRef('name')).toBeNull();
  });
});

describe('parseLedgerXlsx', () => {
  it('reads a Chinese template with a title row, skipping blank rows but keeping sheet row numbers', async () => {
    const data = await workbook({
      说明: [['请在“保安”和“设备”两张表中填写，不要修改表头']],
      保安: [
        ['【演示】金水区第1小学 保安名单'],
        ['编号', '姓名*', '保安员证号', '出生年份', '用工形式*', '入职日期', '在岗'],
        [12, '王建国', 'HN2020123456', 1975, '专职', new Date(Date.UTC(2021, 2, 1)), '是'],
        [null, null, null, null, null, null, null],
        [null, '李四', null, '1966', '兼职', '2023/9/1', '否'],
        [null, '赵六', 'HN2024000001', null, 'full_time', null, null],
      ],
      设备: [
        ['编号', '类型*', '名称*', '安装位置', '国标编码', '与公安联网*', '安装日期', '启用'],
        [3, '一键报警', '门卫室报警按钮', '南门门卫室', '34020000001320000001', '是', '2022-05-10', '是'],
        [null, '摄像机', '北门枪机', null, null, '否', null, null],
        [null, '硬盘录像机', '监控室NVR', '监控室', null, false, 44927, true],
      ],
    });
    const parsed = await parseLedgerXlsx(data);
    expect(parsed.sheets.guards).toMatchObject({ name: '保安', headerRow: 2, missing: [] });
    expect(parsed.sheets.guards?.headers.C).toBe('保安员证号');
    expect(parsed.request.guards).toEqual([
      { row: 3, id: 12, name: '王建国', certificate_no: 'HN2020123456', birth_year: 1975, employment: 'full_time', employed_since: '2021-03-01', active: true },
      { row: 5, id: null, name: '李四', certificate_no: null, birth_year: 1966, employment: 'part_time', employed_since: '2023-09-01', active: false },
      { row: 6, id: null, name: '赵六', certificate_no: 'HN2024000001', birth_year: null, employment: 'full_time', employed_since: null, active: true },
    ]);
    expect(parsed.sheets.devices).toMatchObject({ name: '设备', headerRow: 1, missing: [] });
    expect(parsed.request.devices).toEqual([
      { row: 2, id: 3, kind: 'alarm', name: '门卫室报警按钮', location: '南门门卫室', national_id: '34020000001320000001', police_networked: true, installed_on: '2022-05-10', active: true },
      { row: 3, id: null, kind: 'camera', name: '北门枪机', national_id: null, police_networked: false, installed_on: null, active: true },
      // 44927 is the Excel day serial of 2023-01-01.
      { row: 4, id: null, kind: 'nvr', name: '监控室NVR', location: '监控室', national_id: null, police_networked: false, installed_on: '2023-01-01', active: true },
    ]);
  });

  it('reads the server template: a note in row 1, "label field" headers in row 2', async () => {
    const data = await workbook({
      guards: [
        ['【演示】金水区第1小学（9410105001）保安名单。第2行为表头，请从第3行起填写'],
        ['编号 id', '姓名 name', '保安员证号 certificate_no', '出生年份 birth_year', '聘用方式 employment', '入职日期 employed_since', '在岗 active'],
        [7, '张伟', 'HN001', 1980, '专职', '2020-01-01', '是'],
        [null, '刘洋', 'HN002', 1990, '专职', null, '是'],
      ],
      devices: [
        ['一键报警、摄像机和硬盘录像机。'],
        ['编号 id', '类型 kind', '名称 name', '位置 location', '国标编码 national_id', '与公安联网 police_networked', '安装日期 installed_on', '在用 active'],
        [1, '一键报警', '门卫室报警按钮', '南门', null, '是', null, '是'],
      ],
    });
    const parsed = await parseLedgerXlsx(data);
    expect(parsed.sheets.guards).toMatchObject({ headerRow: 2, missing: [], columns: { id: 'A', name: 'B', birth_year: 'D', employment: 'E', active: 'G' } });
    expect(parsed.request.guards).toEqual([
      { row: 3, id: 7, name: '张伟', certificate_no: 'HN001', birth_year: 1980, employment: 'full_time', employed_since: '2020-01-01', active: true },
      { row: 4, id: null, name: '刘洋', certificate_no: 'HN002', birth_year: 1990, employment: 'full_time', employed_since: null, active: true },
    ]);
    expect(parsed.request.devices).toEqual([
      { row: 3, id: 1, kind: 'alarm', name: '门卫室报警按钮', location: '南门', national_id: null, police_networked: true, installed_on: null, active: true },
    ]);
  });

  it('reads English field names, bracketed names, and sheets known only by their headers', async () => {
    const data = await workbook({
      Sheet1: [
        ['Name (name)', 'Certificate (certificate_no)', 'employment', 'birth_year'],
        ['Zhang San', 'C-1', 'part_time', 1990],
      ],
      Sheet2: [
        ['kind', 'name', 'police_networked'],
        ['alarm', 'Gate button', 'yes'],
      ],
    });
    const parsed = await parseLedgerXlsx(data);
    expect(parsed.request.guards).toEqual([
      { row: 2, id: null, name: 'Zhang San', certificate_no: 'C-1', birth_year: 1990, employment: 'part_time', employed_since: null, active: true },
    ]);
    expect(parsed.request.devices).toEqual([
      { row: 2, id: null, kind: 'alarm', name: 'Gate button', national_id: null, police_networked: true, installed_on: null, active: true },
    ]);
  });

  it('passes cells it cannot read through as text for the server to judge', () => {
    const parsed = ledgerFromGrids([
      {
        name: 'guards',
        grid: [
          ['name', 'employment', 'birth_year', 'employed_since', 'active'],
          ['X', '临时工', 'nineteen', 'last spring', 'maybe'],
        ],
      },
    ]);
    expect(parsed.request.guards[0]).toMatchObject({ employment: '临时工', birth_year: 'nineteen', employed_since: 'last spring', active: 'maybe' });
  });

  it('reports required columns a sheet lacks and reads no rows from it', () => {
    const parsed = ledgerFromGrids([{ name: '保安', grid: [['姓名', '出生年份'], ['王五', 1980]] }]);
    expect(parsed.sheets.guards?.missing).toEqual(['employment']);
    expect(parsed.request.guards).toEqual([]);
  });

  it('does not take a device sheet for guards', () => {
    const parsed = ledgerFromGrids([{ name: 'Sheet1', grid: [['名称', '类型', '与公安联网'], ['枪机', '摄像机', '是']] }]);
    expect(parsed.sheets.guards).toBeUndefined();
    expect(parsed.request.devices).toHaveLength(1);
  });
});

describe('placeErrors', () => {
  it('puts each server error on its sheet, row and column header', () => {
    const parsed = ledgerFromGrids([
      { name: '保安', grid: [['编号', '姓名', '保安员证号', '出生年份', '用工形式'], [null, '王', null, 1930, '专职']] },
    ]);
    const problems = placeErrors(
      [
        { field: 'guards!D2', message: '出生年份不能早于1940年', row: 2 },
        { field: '保安!E2', message: 'x', row: 2 },
        { field: 'devices!B9', message: '名称不能为空', row: 9 },
        { field: 'guards', message: '最多500行' },
        { field: 'guards[0].birth_year', message: 'Expected an integer.' },
        { field: 'devices[2].kind', message: 'x' },
      ],
      parsed,
    );
    expect(problems).toEqual([
      { sheet: 'guards', sheetName: 'guards', row: 2, column: 'D', header: '出生年份', message: '出生年份不能早于1940年' },
      { sheet: 'guards', sheetName: '保安', row: 2, column: 'E', header: '用工形式', message: 'x' },
      { sheet: 'devices', sheetName: 'devices', row: 9, column: 'B', header: '', message: '名称不能为空' },
      { sheet: 'guards', sheetName: '', row: null, column: '', header: '', message: '最多500行' },
      { sheet: 'guards', sheetName: '', row: 2, column: 'D', header: '出生年份', message: 'Expected an integer.' },
      { sheet: 'devices', sheetName: '', row: null, column: '', header: '', message: 'x' },
    ]);
  });
});

describe('headers', () => {
  it('ignore stars, spaces and case', () => {
    const { sheets, request } = ledgerFromGrids([{ name: 'guards', grid: [[' 姓名 * ', 'EMPLOYMENT', '保安员证 号'], ['a', 'full_time', 123456]] }]);
    expect(sheets.guards?.missing).toEqual([]);
    expect(request.guards[0]).toMatchObject({ name: 'a', employment: 'full_time', certificate_no: '123456' });
  });
});
