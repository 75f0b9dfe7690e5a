INSERT INTO health_report_tasks (warning_id, due_at, immediate, status, draft) VALUES ($1, $2, $3, 'pending', $4)
