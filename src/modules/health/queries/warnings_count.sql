SELECT COUNT(*) FROM health_warnings w WHERE w.path >= $1 AND w.path < $2 AND ($3 = 'all' OR w.status = $3)
