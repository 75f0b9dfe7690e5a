SELECT count(*) FROM inspections i
WHERE i.path >= $1 AND i.path < $2
  AND ($3 = '' OR i.source = $3)
  AND ($4 = '' OR i.inspected_at >= $4) AND ($5 = '' OR i.inspected_at < $5)
