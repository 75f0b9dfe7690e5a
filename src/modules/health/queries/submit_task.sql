UPDATE health_report_tasks SET status = 'submitted', summary = $2, measures = $3, submitted_at = $4, submitted_by = $5
WHERE id = $1 AND status = 'pending'
