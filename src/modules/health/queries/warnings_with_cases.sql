SELECT id, rule, grp, unit_kind, unit_key, window_start, window_end, case_ids FROM health_warnings
WHERE school_code = $1 AND status = 'open'
  AND EXISTS (SELECT 1 FROM json_each(health_warnings.case_ids) AS j WHERE j.value IN (SELECT value FROM json_each($2)))
