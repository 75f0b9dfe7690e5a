UPDATE health_report_tasks SET escalated_at = $1 WHERE status = 'pending' AND escalated_at IS NULL AND due_at < $1
RETURNING id, warning_id
