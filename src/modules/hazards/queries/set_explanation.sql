UPDATE hazards SET explanation = $2, explanation_required = 0, updated_at = $3
WHERE id = $1 AND explanation_required = 1 AND state <> 'closed'
