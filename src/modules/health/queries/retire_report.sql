UPDATE health_reports SET current = 0 WHERE id = $1
