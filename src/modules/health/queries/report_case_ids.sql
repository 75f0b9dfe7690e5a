SELECT id FROM health_cases WHERE report_id = $1
