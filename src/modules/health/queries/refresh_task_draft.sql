-- A warning's pending report gets its facts written again when its cases change: $2 for an
-- immediate report, $3 for one due in 24 hours.
UPDATE health_report_tasks SET draft = CASE immediate WHEN 1 THEN $2 ELSE $3 END
WHERE warning_id = $1 AND status = 'pending'
