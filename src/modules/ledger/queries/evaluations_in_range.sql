SELECT school_code, path, guards, closed_management, protection_posts, alarm_video, all_four, reasons, evaluated_at
FROM compliance_school WHERE school_code BETWEEN $1 AND $2
