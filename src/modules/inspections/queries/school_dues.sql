-- A school's open dues, and every due of the last days (due on or after $2).
SELECT d.id, d.campaign_id, c.name, c.template_id, t.name, d.round, d.opens_on, d.due_on, d.status, d.inspection_id
FROM inspection_dues d
JOIN campaigns c ON c.id = d.campaign_id
JOIN checklist_templates t ON t.id = c.template_id
WHERE d.school_code = $1 AND (d.status = 'open' OR d.due_on >= $2)
ORDER BY d.due_on, d.id
