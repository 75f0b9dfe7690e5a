SELECT t.id, t.warning_id, t.status, w.school_code, w.path FROM health_report_tasks t
JOIN health_warnings w ON w.id = t.warning_id WHERE t.id = $1 AND w.path >= $2 AND w.path < $3
