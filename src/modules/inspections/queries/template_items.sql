SELECT code, text, category, how, photo_required FROM checklist_items WHERE template_id = $1 ORDER BY position
