INSERT INTO health_cases (report_id, school_code, class_id, day, current, student_no, name_enc, sex, age, dormitory_id,
                          symptoms, onset_at, absent, doctor_visit, diagnosis, suspected_notifiable)
VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id
