SELECT id, student_no, absent FROM health_cases WHERE report_id = $1
