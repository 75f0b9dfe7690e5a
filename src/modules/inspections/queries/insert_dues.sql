-- One due row per active school under the campaign's unit that passes its filter ($7 school types,
-- $8 localities: JSON arrays, empty = all), for round $2. A rerun adds nothing.
INSERT INTO inspection_dues (campaign_id, round, school_code, path, opens_on, due_on, status)
SELECT $1, $2, o.code, o.path, $3, $4, 'open'
FROM org_units o
WHERE o.level = 'school' AND o.path >= $5 AND o.path < $6 AND o.active = 1
  AND ($7 = '[]' OR o.school_type IN (SELECT value FROM json_each($7)))
  AND ($8 = '[]' OR o.locality IN (SELECT value FROM json_each($8)))
ON CONFLICT (campaign_id, round, school_code) DO NOTHING
