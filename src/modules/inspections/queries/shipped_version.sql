SELECT ifnull(max(version), 0) FROM checklist_templates WHERE owner_code IS NULL AND key = $1
