-- Uses the partial index hazards_deadline: its condition is repeated here.
SELECT id, path, supervising_level FROM hazards
WHERE state <> 'closed' AND overdue = 0 AND deadline IS NOT NULL AND deadline < $1
ORDER BY deadline LIMIT $2
