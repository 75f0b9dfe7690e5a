SELECT id FROM health_absences WHERE school_code = $1 AND student_no = $2 AND status = 'open'
