UPDATE hazards SET supervising_level = $2, escalated_at = $3, next_escalation_on = $4, explanation_required = 1,
                   updated_at = $3
WHERE id = $1 AND overdue = 1 AND state <> 'closed' AND supervising_level = $5 AND next_escalation_on = $6
