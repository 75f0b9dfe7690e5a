SELECT i.id, i.school_code, s.name, i.path, i.template_id, t.name, t.version, i.campaign_id, i.due_id, i.source,
       i.inspector, i.inspected_at, i.notes, i.pass, i.fail, i.na
FROM inspections i
JOIN org_units s ON s.code = i.school_code
JOIN checklist_templates t ON t.id = i.template_id
WHERE i.id = $1 AND i.path >= $2 AND i.path < $3
