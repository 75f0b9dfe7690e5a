SELECT submitted_at FROM health_reports WHERE class_id = $1 AND day = $2 AND session = $3 AND version = 1
