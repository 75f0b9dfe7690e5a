-- Uses the partial index hazards_reescalation: its condition is repeated here.
SELECT id, path, supervising_level, next_escalation_on FROM hazards
WHERE state <> 'closed' AND overdue = 1 AND next_escalation_on IS NOT NULL AND next_escalation_on <= $1
ORDER BY next_escalation_on LIMIT $2
