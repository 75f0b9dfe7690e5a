SELECT c.id, c.report_id, c.student_no, c.name_enc, c.sex, c.age, c.dormitory_id, c.symptoms, c.onset_at, c.absent,
       c.doctor_visit, c.diagnosis, c.suspected_notifiable
FROM health_cases c WHERE c.school_code = $1 AND c.id IN (SELECT value FROM json_each($2)) ORDER BY c.id
