SELECT COUNT(*) FROM audit_log
WHERE ($1 = '' OR at >= $1) AND ($2 = '' OR at < $2) AND ($3 = '' OR username = $3)
  AND ($4 = '' OR action LIKE $4 || '%') AND ($5 = '' OR outcome = $5)
