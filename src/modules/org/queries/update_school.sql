UPDATE org_units SET name = $2, school_type = $3, locality = $4, boarding = $5, day_students = $6,
  boarding_students = $7, class_count = $8, updated_at = $9
WHERE code = $1 AND level = 'school'
