// Hazards, checklists and figures for the specs, shaped as the server sends them.
import type { Hazard, HazardFigures } from '@/api/hazards';
import type { Checklist } from '@/api/inspections';

export const kSchoolCode = '9410105001';
export const kSchoolName = '金水区第1小学';

export function hazardWith(overrides: Partial<Hazard>): Hazard {
  return {
    id: 11,
    school_code: kSchoolCode,
    school_name: kSchoolName,
    county_code: '410105',
    county_name: '金水区',
    category: 'fire',
    location: '教学楼二楼走廊',
    description: '灭火器压力不足',
    grade: 'ordinary',
    source: 'inspection',
    inspection_id: 5,
    item_code: 'F01',
    building_grade: null,
    out_of_use: false,
    fixed_at_once: false,
    found_by: 'demo-principal',
    found_at: '2026-11-28T09:00:00+08:00',
    photos: [],
    state: 'registered',
    responsible: '',
    measures: '',
    funds: '',
    deadline: null,
    contingency_plan: '',
    interim_measures: '',
    five_in_place: false,
    overdue: false,
    overdue_since: null,
    supervising_level: 'school',
    escalated_at: null,
    explanation_required: false,
    explanation: null,
    accepted_by: null,
    accepted_at: null,
    closed_at: null,
    days_open: 0,
    ...overrides,
  };
}

export function figuresWith(code: string, name: string, level: HazardFigures['level'], overrides: Partial<HazardFigures> = {}): HazardFigures {
  return { code, name, level, open: 0, overdue: 0, major: 0, out_of_use: 0, closed: 0, closure_rate: null, median_days_to_close: null, ...overrides };
}

export const kFireChecklist: Checklist = {
  id: 3,
  key: 'fire',
  version: 1,
  name: '消防安全检查表',
  owner_code: null,
  categories: ['fire', 'building'],
  item_count: 3,
  items: [
    { code: 'F01', text: '灭火器在有效期内且压力正常', category: 'fire', how: '查看压力表指针是否在绿区', photo_required: false },
    { code: 'F02', text: '疏散通道畅通无堵塞', category: 'fire', how: '逐层查看', photo_required: true },
    { code: 'B01', text: '教学用房无裂缝、无危房', category: 'building', how: '查看鉴定报告', photo_required: false },
  ],
};
