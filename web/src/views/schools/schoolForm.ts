import type { SchoolAttributes } from '@/api/org';

/** A 10-digit school identifier (学校标识码). */
export const kSchoolCodePattern = /^\d{10}$/;

export function emptyAttributes(): SchoolAttributes {
  return {
    school_type: 'primary',
    locality: 'urban',
    boarding: false,
    day_students: 0,
    boarding_students: 0,
    class_count: 0,
  };
}

/** Students of a school: day plus boarding. */
export function studentCount(a: SchoolAttributes | null): number {
  return a ? a.day_students + a.boarding_students : 0;
}
