// Reading the filled-in ledger template (GET /schools/{code}/ledger/template.xlsx)
// in the browser, before POST /schools/{code}/ledger/import. Sheets and
// columns are found by their headers (English field names or Chinese labels),
// values are tidied (专职 → full_time, 是 → true, dates → YYYY-MM-DD) but not
// judged: the server checks every cell and names it as "guards!D7".
import type { CellValue, Workbook, Worksheet } from 'exceljs';
import type { DeviceImportRow, GuardImportRow, LedgerImportRequest } from '@/api/ledger';
import { loadExcel, plainCell, type Cell } from '@/views/schools/schoolImport';

export type LedgerSheet = 'guards' | 'devices';

const kGuardColumns = ['id', 'name', 'certificate_no', 'birth_year', 'employment', 'employed_since', 'active'] as const;
const kDeviceColumns = ['id', 'kind', 'name', 'location', 'national_id', 'police_networked', 'installed_on', 'active'] as const;
type GuardColumn = (typeof kGuardColumns)[number];
type DeviceColumn = (typeof kDeviceColumns)[number];

interface SheetSpec<C extends string> {
  /** Sheet names, lower case, that hold this list. */
  names: string[];
  columns: readonly C[];
  required: readonly C[];
  /** Chinese (and other) header labels per column. */
  labels: Record<C, string[]>;
}

const kGuardSpec: SheetSpec<GuardColumn> = {
  names: ['guards', 'guard', '保安', '保安员', '保安人员', '专职保安'],
  columns: kGuardColumns,
  required: ['name', 'employment'],
  labels: {
    id: ['编号', '记录编号', '序号id'],
    name: ['姓名', '保安姓名'],
    certificate_no: ['保安员证号', '保安员证编号', '保安员证', '证书编号', '持证编号'],
    birth_year: ['出生年份', '出生年'],
    employment: ['聘用方式', '用工形式', '用工方式', '聘用形式', '专职兼职', '专职/兼职'],
    employed_since: ['入职日期', '上岗日期', '聘用日期'],
    active: ['在岗', '是否在岗', '在职', '状态'],
  },
};

const kDeviceSpec: SheetSpec<DeviceColumn> = {
  names: ['devices', 'device', '设备', '报警与视频', '报警与视频设备', '一键报警与视频'],
  columns: kDeviceColumns,
  required: ['kind', 'name', 'police_networked'],
  labels: {
    id: ['编号', '记录编号'],
    kind: ['类型', '设备类型', '种类'],
    name: ['名称', '设备名称'],
    location: ['位置', '安装位置'],
    national_id: ['国标编码', '国标编号', '国标id', '设备国标编码', 'gb/t28181编码', '28181编码'],
    police_networked: ['与公安联网', '公安联网', '已与公安联网', '联网'],
    installed_on: ['安装日期', '安装时间'],
    active: ['启用', '在用', '状态'],
  },
};

const kTrue = new Set(['true', '1', 'yes', 'y', '是', '在岗', '在职', '启用', '在用', '已联网', '联网', '√', '✓']);
const kFalse = new Set(['false', '0', 'no', 'n', '否', '离职', '离岗', '停用', '未联网', '×', '✗']);
const kEmploymentWords: Record<string, string> = { 专职: 'full_time', 全职: 'full_time', 兼职: 'part_time', full_time: 'full_time', part_time: 'part_time' };
const kKindWords: Record<string, string> = {
  alarm: 'alarm',
  一键报警: 'alarm',
  一键报警装置: 'alarm',
  报警: 'alarm',
  报警按钮: 'alarm',
  camera: 'camera',
  摄像机: 'camera',
  摄像头: 'camera',
  监控摄像机: 'camera',
  nvr: 'nvr',
  录像机: 'nvr',
  硬盘录像机: 'nvr',
  网络硬盘录像机: 'nvr',
};

function text(cell: Cell): string {
  return cell === null ? '' : String(cell).trim();
}

/** A header label reduced for matching: lower case, no spaces, no required-field star. */
function squash(header: string): string {
  return header.replace(/^\uFEFF/, '').replace(/[\s*＊]/g, '').toLowerCase();
}

/**
 * The column a header names: an exact field name, a field name beside or in
 * brackets after a label ("姓名 name", "姓名 (name)"), or a known label.
 */
export function headerColumn<C extends string>(header: string, spec: SheetSpec<C>): C | null {
  const raw = header.replace(/^\uFEFF/, '').trim().toLowerCase();
  if (!raw) return null;
  const tokens = raw.split(/[\s()（）[\]【】/:：]+/).map((x) => x.replace(/[*＊]/g, '')).filter(Boolean);
  for (const c of spec.columns) if (tokens.includes(c)) return c;
  const h = squash(raw);
  for (const c of spec.columns) if (h === c) return c;
  const labels = [h, h.replace(/[(（].*?[)）]/g, ''), ...tokens];
  for (const c of spec.columns) if (spec.labels[c].some((l) => labels.includes(squash(l)))) return c;
  return null;
}

/** Which list a sheet name holds, if its name says so. */
export function sheetKind(name: string): LedgerSheet | null {
  const n = squash(name);
  if (kGuardSpec.names.some((x) => squash(x) === n)) return 'guards';
  if (kDeviceSpec.names.some((x) => squash(x) === n)) return 'devices';
  return null;
}

/** Spreadsheet column letters of a 1-based index: 1 → A, 27 → AA. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** A cell reference of a server error: "guards!D7" → sheet, column letters and row; null when it is not one. */
export function parseCellRef(field: string): { sheet: string; column: string; row: number } | null {
  const m = /^(?:'([^']+)'|([^!]+))!\$?([A-Z]{1,3})\$?(\d+)$/.exec(field.trim());
  if (!m) return null;
  return { sheet: m[1] ?? m[2], column: m[3], row: Number(m[4]) };
}

/** Excel's day serial (1900 date system) as YYYY-MM-DD. */
function serialDay(serial: number): string {
  return new Date(Math.round((serial - 25569) * 86_400_000)).toISOString().slice(0, 10);
}

/** A day cell as YYYY-MM-DD when it reads as one; null when empty; otherwise the text for the server to judge. */
function toDay(cell: Cell): string | null {
  if (typeof cell === 'number') return cell > 0 && cell < 2958466 ? serialDay(cell) : String(cell);
  const v = text(cell);
  if (v === '') return null;
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(v);
  if (m) return `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  return v;
}

function toBool(cell: Cell, empty: boolean): boolean | string {
  if (typeof cell === 'boolean') return cell;
  if (typeof cell === 'number' && (cell === 0 || cell === 1)) return cell === 1;
  const v = text(cell).toLowerCase();
  if (v === '') return empty;
  if (kTrue.has(v)) return true;
  if (kFalse.has(v)) return false;
  return text(cell);
}

function toInt(cell: Cell): number | string | null {
  if (typeof cell === 'number') return cell;
  const v = text(cell);
  if (v === '') return null;
  // A full date typed into the birth year column: keep its year.
  const date = /^(\d{4})[-/.年]/.exec(v);
  if (date) return Number(date[1]);
  return /^-?\d+$/.test(v) ? Number(v) : v;
}

/** Text that may be empty: null when empty. Numbers are written out without exponent where exact. */
function toOptionalText(cell: Cell): string | null {
  if (typeof cell === 'number') return Number.isSafeInteger(cell) ? cell.toFixed(0) : String(cell);
  const v = text(cell);
  return v === '' ? null : v;
}

function toWord(cell: Cell, words: Record<string, string>): string {
  const v = text(cell);
  return words[v.toLowerCase()] ?? words[v] ?? v;
}

export interface SheetInfo {
  /** The sheet's name in the workbook. */
  name: string;
  /** Row number of the header row. */
  headerRow: number;
  /** Header text per column letter ("D" → "保安员证号"). */
  headers: Record<string, string>;
  /** Column letter per field found ("birth_year" → "D"). */
  columns: Record<string, string>;
  /** Required columns that the header row lacks. */
  missing: string[];
}

export interface ParsedLedger {
  request: LedgerImportRequest;
  sheets: Partial<Record<LedgerSheet, SheetInfo>>;
}

type Grid = Cell[][];

/** The row (0-based, within the first 10) that names the most columns of `spec`, and its column map. */
function findHeader<C extends string>(grid: Grid, spec: SheetSpec<C>): { at: number; index: Map<C, number> } | null {
  let best: { at: number; index: Map<C, number> } | null = null;
  grid.slice(0, 10).forEach((line, at) => {
    const index = new Map<C, number>();
    line.forEach((cell, i) => {
      const c = headerColumn(text(cell), spec);
      if (c && !index.has(c)) index.set(c, i);
    });
    if (index.size >= 2 && (!best || index.size > best.index.size)) best = { at, index };
  });
  return best;
}

function readSheet<C extends string, R>(
  grid: Grid,
  name: string,
  spec: SheetSpec<C>,
  toRow: (at: (c: C) => Cell, row: number) => R,
): { rows: R[]; info: SheetInfo } | null {
  const header = findHeader(grid, spec);
  if (!header) return null;
  const headers: Record<string, string> = {};
  grid[header.at].forEach((cell, i) => {
    if (text(cell)) headers[columnLetter(i + 1)] = text(cell);
  });
  const columns: Record<string, string> = {};
  for (const [c, i] of header.index) columns[c] = columnLetter(i + 1);
  const missing = spec.required.filter((c) => !header.index.has(c));
  const rows: R[] = [];
  if (missing.length === 0) {
    grid.slice(header.at + 1).forEach((line, i) => {
      if (line.every((c) => text(c) === '')) return;
      const at = (c: C): Cell => (header.index.has(c) ? (line[header.index.get(c)!] ?? null) : null);
      rows.push(toRow(at, header.at + 2 + i));
    });
  }
  return { rows, info: { name, headerRow: header.at + 1, headers, columns, missing: [...missing] } };
}

function guardRow(at: (c: GuardColumn) => Cell, row: number): GuardImportRow {
  return {
    row,
    id: toInt(at('id')),
    name: text(at('name')),
    certificate_no: toOptionalText(at('certificate_no')),
    birth_year: toInt(at('birth_year')),
    employment: toWord(at('employment'), kEmploymentWords),
    employed_since: toDay(at('employed_since')),
    active: toBool(at('active'), true),
  };
}

function deviceRow(at: (c: DeviceColumn) => Cell, row: number): DeviceImportRow {
  const location = toOptionalText(at('location'));
  return {
    row,
    id: toInt(at('id')),
    kind: toWord(at('kind'), kKindWords),
    name: text(at('name')),
    ...(location !== null ? { location } : {}),
    national_id: toOptionalText(at('national_id')),
    police_networked: toBool(at('police_networked'), false),
    installed_on: toDay(at('installed_on')),
    active: toBool(at('active'), true),
  };
}

/**
 * Reads guards and devices from named grids (sheet name → rows of cells, first
 * row of the sheet first). A sheet is taken by its name (guards/保安,
 * devices/设备) or, failing that, by its headers; other sheets are ignored.
 */
export function ledgerFromGrids(sheets: { name: string; grid: Grid }[]): ParsedLedger {
  const result: ParsedLedger = { request: { guards: [], devices: [] }, sheets: {} };
  const unnamed = sheets.filter((s) => sheetKind(s.name) === null);
  // A sheet named for a list is read as that list; another sheet only when a header only that list has is there.
  function pick<C extends string, R>(kind: LedgerSheet, spec: SheetSpec<C>, toRow: (at: (c: C) => Cell, row: number) => R, signature: C[]) {
    for (const s of [...sheets.filter((x) => sheetKind(x.name) === kind), ...unnamed]) {
      const read = readSheet(s.grid, s.name, spec, toRow);
      if (read && (sheetKind(s.name) === kind || headerHas(read.info, spec, signature))) return read;
    }
    return null;
  }
  const guards = pick('guards', kGuardSpec, guardRow, ['certificate_no', 'employment', 'birth_year']);
  const devices = pick('devices', kDeviceSpec, deviceRow, ['kind', 'police_networked', 'national_id']);
  if (guards) {
    result.request.guards = guards.rows;
    result.sheets.guards = guards.info;
  }
  if (devices) {
    result.request.devices = devices.rows;
    result.sheets.devices = devices.info;
  }
  return result;
}

/** Whether a sheet's headers name at least one of `columns` (so that a devices sheet is not read as guards). */
function headerHas<C extends string>(info: SheetInfo, spec: SheetSpec<C>, columns: C[]): boolean {
  return Object.values(info.headers).some((h) => {
    const c = headerColumn(h, spec);
    return c !== null && columns.includes(c);
  });
}

function gridOf(sheet: Worksheet): Grid {
  const grid: Grid = [];
  const width = Math.max(sheet.columnCount, 1);
  for (let r = 1; r <= sheet.rowCount; r += 1) {
    const row = sheet.getRow(r);
    const line: Cell[] = [];
    for (let c = 1; c <= width; c += 1) line.push(plainCell(row.getCell(c).value as CellValue));
    grid.push(line);
  }
  return grid;
}

/** Reads an XLSX file. */
export async function parseLedgerXlsx(data: ArrayBuffer): Promise<ParsedLedger> {
  const excel = await loadExcel();
  const workbook: Workbook = new excel.Workbook();
  await workbook.xlsx.load(data);
  return ledgerFromGrids(workbook.worksheets.map((s) => ({ name: s.name, grid: gridOf(s) })));
}

/** One problem of a failed import, placed in the workbook. */
export interface ImportProblem {
  sheet: LedgerSheet | null;
  /** The sheet name as the server wrote it, when it is not one of ours. */
  sheetName: string;
  row: number | null;
  column: string;
  /** The header of that column in the file, when known. */
  header: string;
  message: string;
}

/**
 * Places each server error in the workbook as read: `guards!D7` (a rule the
 * import broke, 422) by its cell, `guards[3].birth_year` (a value of the wrong
 * type, 400) by the row sent at that index and the column of that field.
 */
export function placeErrors(errors: readonly { field: string; message: string; row?: number }[], parsed: ParsedLedger | null): ImportProblem[] {
  return errors.map((e) => {
    const ref = parseCellRef(e.field);
    if (ref) {
      const kind = sheetKind(ref.sheet) ?? (Object.entries(parsed?.sheets ?? {}).find(([, info]) => info?.name === ref.sheet)?.[0] as LedgerSheet | undefined) ?? null;
      const header = kind ? (parsed?.sheets[kind]?.headers[ref.column] ?? '') : '';
      return { sheet: kind, sheetName: ref.sheet, row: ref.row, column: ref.column, header, message: e.message };
    }
    const m = /^(guards|devices)(?:\[(\d+)\])?(?:\.(\w+))?/.exec(e.field);
    if (!m) return { sheet: null, sheetName: e.field, row: e.row ?? null, column: '', header: '', message: e.message };
    const kind = m[1] as LedgerSheet;
    const info = parsed?.sheets[kind];
    const sent = m[2] !== undefined ? parsed?.request[kind][Number(m[2])] : undefined;
    const column = m[3] ? (info?.columns[m[3]] ?? '') : '';
    return {
      sheet: kind,
      sheetName: '',
      row: e.row ?? sent?.row ?? null,
      column,
      header: column ? (info?.headers[column] ?? '') : '',
      message: e.message,
    };
  });
}
