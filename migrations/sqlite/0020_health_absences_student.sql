-- A student's illness absences by school, student and start: the outbreak rules read the diagnosis
-- the school doctor has since recorded for each case (recent_cases.sql), and an absence's follow-up
-- finds its student's cases.
CREATE INDEX health_absences_student ON health_absences(school_code, student_no, started_on);
