SELECT u.code, u.name, u.level, u.active, s.guards, s.closed_management, s.protection_posts, s.alarm_video,
       s.all_four
FROM org_units u LEFT JOIN compliance_school s ON s.school_code = u.code
WHERE u.parent_code = $1 AND u.level = 'school' AND u.active = 1 ORDER BY u.code
