// Reading a school list from a spreadsheet in the browser, before it is sent
// to POST /org-units/{code}/schools/import. Values are tidied (Chinese labels
// to the API's words, numeric text to numbers) but not judged: the server
// checks every cell and answers with the row and column of each problem.
import type { CellValue, Workbook } from 'exceljs';
import type { Locality, SchoolImportRow, SchoolType } from '@/api/org';
import { kLocalities, kSchoolTypes } from '@/api/org';

export const kImportColumns = [
  'code',
  'name',
  'school_type',
  'locality',
  'boarding',
  'day_students',
  'boarding_students',
  'class_count',
] as const;
export type ImportColumn = (typeof kImportColumns)[number];

export const kChineseHeaders: Record<ImportColumn, string> = {
  code: '学校标识码',
  name: '学校名称',
  school_type: '学校类型',
  locality: '城乡',
  boarding: '寄宿',
  day_students: '走读生数',
  boarding_students: '寄宿生数',
  class_count: '班级数',
};

export const kChineseSchoolTypes: Record<SchoolType, string> = {
  kindergarten: '幼儿园',
  primary: '小学',
  junior: '初中',
  senior: '高中',
  nine_year: '九年一贯制',
  twelve_year: '十二年一贯制',
  special: '特殊教育',
  vocational: '中职',
};

export const kChineseLocalities: Record<Locality, string> = { urban: '城区', town: '镇区', rural: '乡村' };

const kTrue = new Set(['true', '1', 'yes', 'y', '是', '寄宿']);
const kFalse = new Set(['false', '0', 'no', 'n', '否', '走读', '']);

/** The API column for a header cell, English or Chinese; null when unknown. */
export function headerToColumn(header: string): ImportColumn | null {
  const h = header.trim().replace(/^\uFEFF/, '');
  const lower = h.toLowerCase();
  for (const column of kImportColumns) {
    if (lower === column || h === kChineseHeaders[column]) return column;
  }
  return null;
}

export type Cell = string | number | boolean | null;

/** A cell's plain value: formulas give their result, rich text its text, dates their ISO day. */
export function plainCell(value: CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('result' in value) return plainCell((value.result ?? null) as CellValue);
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('error' in value) return String(value.error);
  }
  return String(value);
}

function text(cell: Cell): string {
  return cell === null ? '' : String(cell).trim();
}

function toSchoolType(cell: Cell): string {
  const v = text(cell);
  const found = kSchoolTypes.find((k) => k === v.toLowerCase() || kChineseSchoolTypes[k] === v);
  return found ?? v;
}

function toLocality(cell: Cell): string {
  const v = text(cell);
  const found = kLocalities.find((k) => k === v.toLowerCase() || kChineseLocalities[k] === v);
  return found ?? v;
}

function toBoolean(cell: Cell): boolean | string {
  if (typeof cell === 'boolean') return cell;
  const v = text(cell).toLowerCase();
  if (kTrue.has(v)) return true;
  if (kFalse.has(v)) return false;
  return text(cell);
}

/** An empty count is 0; a number in text becomes a number; anything else is sent as written. */
function toCount(cell: Cell): number | string {
  if (typeof cell === 'number') return cell;
  const v = text(cell);
  if (v === '') return 0;
  return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
}

export interface ParsedImport {
  rows: SchoolImportRow[];
  /** sheetRows[i] is the spreadsheet row number of rows[i] (header row = 1). */
  sheetRows: number[];
  /** Required columns the header row lacks. */
  missing: ImportColumn[];
}

/**
 * Turns a grid (first row = headers) into import rows. Blank rows are
 * skipped; `firstRowNumber` is the sheet row number of grid[0].
 */
export function rowsFromGrid(grid: Cell[][], firstRowNumber = 1): ParsedImport {
  const header = grid[0] ?? [];
  const index = new Map<ImportColumn, number>();
  header.forEach((h, i) => {
    const column = headerToColumn(text(h));
    if (column && !index.has(column)) index.set(column, i);
  });
  const missing = kImportColumns.filter((c) => !index.has(c));
  const rows: SchoolImportRow[] = [];
  const sheetRows: number[] = [];
  if (missing.length > 0) return { rows, sheetRows, missing };

  const at = (line: Cell[], column: ImportColumn): Cell => line[index.get(column)!] ?? null;
  grid.slice(1).forEach((line, i) => {
    if (line.every((c) => text(c) === '')) return;
    rows.push({
      code: text(at(line, 'code')),
      name: text(at(line, 'name')),
      school_type: toSchoolType(at(line, 'school_type')),
      locality: toLocality(at(line, 'locality')),
      boarding: toBoolean(at(line, 'boarding')),
      day_students: toCount(at(line, 'day_students')),
      boarding_students: toCount(at(line, 'boarding_students')),
      class_count: toCount(at(line, 'class_count')),
    });
    sheetRows.push(firstRowNumber + 1 + i);
  });
  return { rows, sheetRows, missing };
}

type ExcelModule = typeof import('exceljs');

/** exceljs is large; it is loaded when a spreadsheet is first read or written. */
export async function loadExcel(): Promise<ExcelModule> {
  const mod = (await import('exceljs')) as ExcelModule & { default?: ExcelModule };
  return mod.default ?? mod;
}

/** Reads the first worksheet of an XLSX file. */
export async function parseXlsx(data: ArrayBuffer): Promise<ParsedImport> {
  const excel = await loadExcel();
  const workbook: Workbook = new excel.Workbook();
  await workbook.xlsx.load(data);
  const sheet = workbook.worksheets[0];
  if (!sheet) return { rows: [], sheetRows: [], missing: [...kImportColumns] };
  const grid: Cell[][] = [];
  const width = Math.max(sheet.columnCount, kImportColumns.length);
  for (let r = 1; r <= sheet.rowCount; r += 1) {
    const row = sheet.getRow(r);
    const line: Cell[] = [];
    for (let c = 1; c <= width; c += 1) line.push(plainCell(row.getCell(c).value));
    grid.push(line);
  }
  return rowsFromGrid(grid);
}

/**
 * Rewrites a CSV's header line to the API's column names (Chinese headers are
 * accepted in the file); the data lines are left untouched for the server.
 * Returns the CSV and the required columns its header lacks.
 */
export function normalizeCsv(csv: string): { csv: string; missing: ImportColumn[] } {
  const body = csv.replace(/^\uFEFF/, '');
  const end = body.search(/\r?\n/);
  const headerLine = end < 0 ? body : body.slice(0, end);
  const rest = end < 0 ? '' : body.slice(end);
  const names = headerLine.split(',').map((h) => {
    const unquoted = h.trim().replace(/^"(.*)"$/, '$1');
    return headerToColumn(unquoted) ?? unquoted;
  });
  const missing = kImportColumns.filter((c) => !names.includes(c));
  return { csv: names.join(',') + rest, missing };
}

/** An empty import template: the header row, drop-down lists, and a sheet explaining the columns. */
export async function buildTemplate(chinese: boolean): Promise<ArrayBuffer> {
  const excel = await loadExcel();
  const workbook = new excel.Workbook();
  workbook.creator = 'XiaoAn';
  const sheet = workbook.addWorksheet(chinese ? '学校' : 'schools');
  sheet.columns = kImportColumns.map((c) => ({
    header: chinese ? kChineseHeaders[c] : c,
    key: c,
    width: c === 'name' ? 32 : 16,
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getColumn('code').numFmt = '@';
  const lists: Partial<Record<ImportColumn, string[]>> = {
    school_type: chinese ? Object.values(kChineseSchoolTypes) : [...kSchoolTypes],
    locality: chinese ? Object.values(kChineseLocalities) : [...kLocalities],
    boarding: chinese ? ['是', '否'] : ['true', 'false'],
  };
  kImportColumns.forEach((column, i) => {
    const letter = String.fromCharCode(65 + i);
    const list = lists[column];
    for (let r = 2; r <= 501; r += 1) {
      const cell = sheet.getCell(`${letter}${r}`);
      if (list) {
        cell.dataValidation = { type: 'list', allowBlank: true, formulae: [`"${list.join(',')}"`] };
      } else if (column.endsWith('_students') || column === 'class_count') {
        cell.dataValidation = { type: 'whole', operator: 'greaterThanOrEqual', allowBlank: true, formulae: [0] };
      }
    }
  });
  const help = workbook.addWorksheet(chinese ? '说明' : 'help');
  help.columns = [{ width: 18 }, { width: 70 }];
  const notes: [string, string][] = chinese
    ? [
        ['学校标识码', '10 位数字，全国唯一'],
        ['学校类型', Object.values(kChineseSchoolTypes).join('、')],
        ['城乡', Object.values(kChineseLocalities).join('、')],
        ['寄宿', '是 / 否'],
        ['走读生数 寄宿生数 班级数', '非负整数，空白按 0'],
        ['', '任一行有错时整表不导入，页面会列出每个错误的行和列'],
      ]
    : [
        ['code', '10-digit school identifier, unique nationwide'],
        ['school_type', kSchoolTypes.join(', ')],
        ['locality', kLocalities.join(', ')],
        ['boarding', 'true / false'],
        ['day_students, boarding_students, class_count', 'whole numbers ≥ 0; blank counts as 0'],
        ['', 'If any row is wrong nothing is imported; the page lists the row and column of each error'],
      ];
  notes.forEach((n) => help.addRow(n));
  return workbook.xlsx.writeBuffer() as Promise<ArrayBuffer>;
}
