SELECT u.code, u.name, u.level, c.schools, c.guards_met, c.guards_applicable, c.closed_met, c.closed_applicable,
       c.posts_met, c.posts_applicable, c.alarm_met, c.alarm_applicable, c.all_met, c.all_applicable
FROM org_units u LEFT JOIN compliance_unit c ON c.unit_code = u.code
WHERE u.parent_code = $1 AND u.level <> 'school' ORDER BY u.code
