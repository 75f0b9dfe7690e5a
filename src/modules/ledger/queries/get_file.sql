SELECT f.id, f.school_code, f.content_type, f.size, u.path FROM files f JOIN org_units u ON u.code = f.school_code
WHERE f.id = $1 AND u.path >= $2 AND u.path < $3 LIMIT 1
