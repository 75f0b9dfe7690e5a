UPDATE health_cases SET current = 0 WHERE report_id = $1
