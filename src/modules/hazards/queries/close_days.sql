-- Uses the partial index hazards_closed: its condition is repeated here.
SELECT days_to_close FROM hazards
WHERE state = 'closed' AND path >= $1 AND path < $2 AND found_on >= $3
