SELECT ifnull(max(version), 0) FROM checklist_templates WHERE owner_code = $1 AND key = $2
