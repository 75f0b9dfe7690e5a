SELECT u.code, u.class_count, u.day_students + u.boarding_students, u.boarding, u.school_type FROM org_units u
WHERE u.demo = 1 AND u.level = 'school' AND u.active = 1
  AND NOT EXISTS (SELECT 1 FROM health_classes c WHERE c.school_code = u.code)
ORDER BY u.code
