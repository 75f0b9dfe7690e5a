SELECT id, report_id, student_no, name_enc, sex, age, dormitory_id, symptoms, onset_at, absent, doctor_visit, diagnosis,
       suspected_notifiable
FROM health_cases WHERE report_id = $1 ORDER BY id
