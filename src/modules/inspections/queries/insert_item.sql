INSERT INTO checklist_items (template_id, position, code, text, category, how, photo_required)
VALUES ($1, $2, $3, $4, $5, $6, $7)
