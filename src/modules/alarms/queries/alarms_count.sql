SELECT count(*) FROM alarm_events a
WHERE a.path >= $1 AND a.path < $2
  AND ($3 = '' OR ($3 = 'open' AND a.status <> 'closed') OR a.status = $3)
  AND ($4 = '' OR a.kind = $4)
  AND ($5 = '' OR a.received_at >= $5) AND ($6 = '' OR a.received_at < $6)
