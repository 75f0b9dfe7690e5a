INSERT INTO checklist_templates (key, version, name, owner_code, owner_path, categories, item_count, created_by,
                                 created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
RETURNING id
