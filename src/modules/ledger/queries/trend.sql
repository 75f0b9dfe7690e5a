SELECT day, schools, guards_met, guards_applicable, closed_met, closed_applicable, posts_met, posts_applicable,
       alarm_met, alarm_applicable, all_met, all_applicable
FROM compliance_snapshot WHERE unit_code = $1 AND day >= $2 ORDER BY day
