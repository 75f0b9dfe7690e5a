SELECT COUNT(*) FROM users u WHERE u.org_path >= $1 AND u.org_path < $2 AND ($3 = '' OR u.username LIKE '%' || $3 || '%' OR u.display_name LIKE '%' || $3 || '%')
  AND ($4 = '' OR u.role = $4)
