UPDATE health_reports SET result = $2 WHERE id = $1
