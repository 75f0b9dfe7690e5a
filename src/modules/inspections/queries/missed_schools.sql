-- Schools of round $2 under [$3, $4) whose window closed without an inspection, or that are still
-- open after their due day ($5 = today).
SELECT s.code, s.name, ifnull(p.name, ''), d.due_on, d.status
FROM inspection_dues d
JOIN org_units s ON s.code = d.school_code
LEFT JOIN org_units p ON p.code = s.parent_code
WHERE d.campaign_id = $1 AND d.round = $2 AND d.path >= $3 AND d.path < $4
  AND (d.status = 'missed' OR (d.status = 'open' AND d.due_on < $5))
ORDER BY d.path
LIMIT 500
