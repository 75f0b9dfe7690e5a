-- Due rows of round $2 of campaign $1 under [$3, $5), counted per child unit: the child's path is
-- the prefix up to the first '/' after the unit's path (length $4).
SELECT o.code, o.name, o.level, g.due, g.on_time, g.late, g.missed, g.open
FROM (SELECT substr(d.path, 1, $4 + instr(substr(d.path, $4 + 1), '/')) AS child, count(*) AS due,
             total(d.status = 'done') AS on_time, total(d.status = 'late') AS late,
             total(d.status = 'missed') AS missed, total(d.status = 'open') AS open
      FROM inspection_dues d
      WHERE d.campaign_id = $1 AND d.round = $2 AND d.path >= $3 AND d.path < $5
      GROUP BY child) g
JOIN org_units o ON o.path = g.child
ORDER BY o.code
