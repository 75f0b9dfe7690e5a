SELECT id, key, version, name, owner_code, owner_path, categories, item_count
FROM checklist_templates WHERE id = $1
