SELECT id, day, class_id, dormitory_id, symptoms, diagnosis, suspected_notifiable, student_no FROM health_cases
WHERE school_code = $1 AND current = 1 AND day >= $2 AND day <= $3
