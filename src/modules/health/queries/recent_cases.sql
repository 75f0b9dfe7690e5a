-- The school's cases in force over the days the outbreak rules look at. A case's diagnosis is the
-- one the school doctor has since recorded for the student's illness absence over that day, if any:
-- diagnoses often arrive with the follow-up, not with the morning's report.
SELECT c.id, c.day, c.class_id, c.dormitory_id, c.symptoms,
       COALESCE((SELECT a.diagnosis FROM health_absences a
                 WHERE a.school_code = c.school_code AND a.student_no = c.student_no AND a.started_on <= c.day
                   AND a.last_seen_on >= c.day AND a.diagnosis IS NOT NULL
                 ORDER BY a.started_on DESC, a.id DESC LIMIT 1),
                c.diagnosis),
       c.suspected_notifiable, c.student_no
FROM health_cases c
WHERE c.school_code = $1 AND c.current = 1 AND c.day >= $2 AND c.day <= $3
