SELECT count(*) FROM hazards h
WHERE h.path >= $1 AND h.path < $2
  AND ($3 = '' OR ($3 = 'open' AND h.state <> 'closed') OR h.state = $3)
  AND ($4 = '' OR h.grade = $4)
  AND ($5 = '' OR h.category = $5)
  AND ($6 = 0 OR h.overdue = 1)
  AND ($7 = 0 OR h.supervising_level <> 'school')
  AND ($8 = '' OR h.found_on >= $8) AND ($9 = '' OR h.found_on < $9)
