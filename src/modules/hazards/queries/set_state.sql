UPDATE hazards SET state = $2, updated_at = $3,
  accepted_by = CASE WHEN $2 = 'closed' THEN $4 ELSE accepted_by END,
  accepted_at = CASE WHEN $2 = 'closed' THEN $3 ELSE accepted_at END,
  closed_at = CASE WHEN $2 = 'closed' THEN $3 ELSE closed_at END,
  days_to_close = CASE WHEN $2 = 'closed' THEN $5 ELSE days_to_close END
WHERE id = $1 AND state = $6
