SELECT COUNT(*)
FROM compliance_school s JOIN org_units u ON u.code = s.school_code
WHERE s.path >= $1 AND s.path < $2
  AND CASE $3 WHEN 'guards' THEN s.guards = 0 WHEN 'closed_management' THEN s.closed_management = 0
              WHEN 'protection_posts' THEN s.protection_posts = 0 WHEN 'alarm_video' THEN s.alarm_video = 0
              ELSE s.all_four = 0 END
  AND ($4 = '' OR u.locality = $4)
  AND ($5 = '' OR s.school_code = $5 OR u.name LIKE '%' || $6 || '%' ESCAPE '!')
