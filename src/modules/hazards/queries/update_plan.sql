UPDATE hazards SET responsible = $2, measures = $3, funds = $4, deadline = $5, contingency_plan = $6,
                   interim_measures = $7, updated_at = $8
WHERE id = $1 AND state = $9
