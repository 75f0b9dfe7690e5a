UPDATE health_report_tasks SET escalated_at = $1
WHERE status = 'pending' AND escalated_at IS NULL AND due_at < $1
  AND warning_id IN (SELECT id FROM health_warnings WHERE status = 'open')
RETURNING id, warning_id
