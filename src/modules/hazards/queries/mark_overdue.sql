UPDATE hazards SET overdue = 1, overdue_since = $2, supervising_level = $3, escalated_at = $4,
                   next_escalation_on = $5, explanation_required = 1, updated_at = $4
WHERE id = $1 AND overdue = 0 AND state <> 'closed' AND supervising_level = $6
