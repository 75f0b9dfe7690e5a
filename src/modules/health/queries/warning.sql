SELECT w.id, w.school_code, s.name, p.code, p.name, w.rule, w.grp, w.unit_kind, w.unit_key, w.window_start,
       w.window_end, w.cases, w.status, w.opened_at, w.closed_at, w.case_ids,
       t.id, t.due_at, t.immediate, t.status, t.escalated_at, t.draft, t.summary, t.measures, t.submitted_at,
       t.submitted_by
FROM health_warnings w JOIN org_units s ON s.code = w.school_code LEFT JOIN org_units p ON p.code = s.parent_code
LEFT JOIN health_report_tasks t ON t.warning_id = w.id
WHERE w.id = $1 AND w.path >= $2 AND w.path < $3
