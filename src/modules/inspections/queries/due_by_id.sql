SELECT d.id, d.campaign_id, d.school_code, d.status, d.opens_on, d.due_on, c.template_id, d.round
FROM inspection_dues d JOIN campaigns c ON c.id = d.campaign_id
WHERE d.id = $1
