SELECT r.code, ifnull(ci.text, ''), ifnull(ci.category, ''), r.result, r.note, r.photos, r.hazard_id
FROM inspection_results r
JOIN inspections i ON i.id = r.inspection_id
LEFT JOIN checklist_items ci ON ci.template_id = i.template_id AND ci.code = r.code
WHERE r.inspection_id = $1
ORDER BY r.position
