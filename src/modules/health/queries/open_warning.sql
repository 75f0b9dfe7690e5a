SELECT id, window_start, window_end, case_ids FROM health_warnings
WHERE school_code = $1 AND rule = $2 AND grp = $3 AND unit_kind = $4 AND unit_key = $5 AND status = 'open'
