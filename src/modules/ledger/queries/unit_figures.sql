SELECT schools, guards_met, guards_applicable, closed_met, closed_applicable, posts_met, posts_applicable,
       alarm_met, alarm_applicable, all_met, all_applicable
FROM compliance_unit WHERE unit_code = $1
