SELECT u.code, u.locality, u.boarding, u.day_students, u.boarding_students FROM org_units u
WHERE u.demo = 1 AND u.level = 'school' AND u.active = 1
  AND NOT EXISTS (SELECT 1 FROM ledger_guards g WHERE g.school_code = u.code)
ORDER BY u.code
