UPDATE health_warnings SET window_start = $2, window_end = $3, case_ids = $4, cases = $5, updated_at = $6 WHERE id = $1
