SELECT school_code, path, guards, closed_management, protection_posts, alarm_video, all_four, reasons, evaluated_at
FROM compliance_school WHERE school_code = $1
