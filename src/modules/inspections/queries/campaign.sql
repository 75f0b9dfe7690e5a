SELECT c.id, c.name, c.org_code, o.name, c.template_id, t.name, c.cadence, c.starts_on, c.ends_on, c.school_types,
       c.locality, c.description, c.created_by, c.created_at, c.rounds, c.org_path, c.rounds_created
FROM campaigns c JOIN org_units o ON o.code = c.org_code JOIN checklist_templates t ON t.id = c.template_id
WHERE c.id = $1
