SELECT u.code, u.path, COUNT(c.id) FROM org_units u JOIN health_classes c ON c.school_code = u.code
WHERE u.path >= $1 AND u.path < $2 AND u.level = 'school' AND u.active = 1 AND c.active = 1
  AND ($3 <> 'evening' OR c.boarding = 1)
GROUP BY u.code, u.path
