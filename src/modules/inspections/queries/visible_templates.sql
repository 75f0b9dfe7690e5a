-- The newest version of each template the unit at path $1 sees: the shipped ones and those of the
-- unit and its ancestors.
SELECT t.id, t.key, t.version, t.name, t.owner_code, t.owner_path, t.categories, t.item_count
FROM checklist_templates t
WHERE (t.owner_path IS NULL OR substr($1, 1, length(t.owner_path)) = t.owner_path)
  AND t.version = (SELECT max(u.version) FROM checklist_templates u
                   WHERE ifnull(u.owner_code, '') = ifnull(t.owner_code, '') AND u.key = t.key)
ORDER BY t.owner_path IS NOT NULL, length(t.owner_path), t.key
