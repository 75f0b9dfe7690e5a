UPDATE health_warnings SET case_ids = '[]', cases = 0, status = 'closed', closed_at = $2, close_note = $3, updated_at = $2
WHERE id = $1
