-- What the health replay left behind: reports, cases, warnings (all, cluster, notifiable, with 4
-- cases), report tasks, illness absences.
SELECT (SELECT count(*) FROM health_reports), (SELECT count(*) FROM health_cases),
       (SELECT count(*) FROM health_warnings),
       (SELECT count(*) FROM health_warnings WHERE rule = 'cluster_1d' AND grp = 'fever_respiratory'),
       (SELECT count(*) FROM health_warnings WHERE rule = 'notifiable'),
       (SELECT count(*) FROM health_warnings WHERE cases = 4),
       (SELECT count(*) FROM health_report_tasks), (SELECT count(*) FROM health_absences)
