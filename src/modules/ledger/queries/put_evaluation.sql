INSERT INTO compliance_school (school_code, path, guards, closed_management, protection_posts, alarm_video, all_four,
                               reasons, evaluated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (school_code) DO UPDATE SET path = excluded.path, guards = excluded.guards,
  closed_management = excluded.closed_management, protection_posts = excluded.protection_posts,
  alarm_video = excluded.alarm_video, all_four = excluded.all_four, reasons = excluded.reasons,
  evaluated_at = excluded.evaluated_at
