-- Figures of one subtree ($1, $2: its path range; no GROUP BY, so no sort: one call per child
-- unit). $3 is the first day of the year the closure figures count.
SELECT count(*) FILTER (WHERE state <> 'closed'),
       count(*) FILTER (WHERE state <> 'closed' AND overdue = 1),
       count(*) FILTER (WHERE state <> 'closed' AND grade = 'major'),
       count(*) FILTER (WHERE state <> 'closed' AND out_of_use = 1),
       count(*) FILTER (WHERE found_on >= $3),
       count(*) FILTER (WHERE found_on >= $3 AND state = 'closed')
FROM hazards WHERE path >= $1 AND path < $2
