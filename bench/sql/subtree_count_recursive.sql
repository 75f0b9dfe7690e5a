-- The reference the materialised path is measured against: the schools under a unit found by
-- walking parent_code links down from it (one index lookup per unit in the subtree).
WITH RECURSIVE subtree(code, level) AS (
  SELECT code, level FROM org_units WHERE code = $1
  UNION ALL
  SELECT o.code, o.level FROM org_units o JOIN subtree s ON o.parent_code = s.code
)
SELECT COUNT(*) FROM subtree WHERE level = 'school'
