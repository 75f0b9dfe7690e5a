INSERT INTO compliance_snapshot (unit_code, day, schools, guards_met, guards_applicable, closed_met,
                                 closed_applicable, posts_met, posts_applicable, alarm_met, alarm_applicable,
                                 all_met, all_applicable)
SELECT unit_code, $1, schools, guards_met, guards_applicable, closed_met, closed_applicable, posts_met,
       posts_applicable, alarm_met, alarm_applicable, all_met, all_applicable
FROM compliance_unit WHERE true
ON CONFLICT (unit_code, day) DO UPDATE SET schools = excluded.schools, guards_met = excluded.guards_met,
  guards_applicable = excluded.guards_applicable, closed_met = excluded.closed_met,
  closed_applicable = excluded.closed_applicable, posts_met = excluded.posts_met,
  posts_applicable = excluded.posts_applicable, alarm_met = excluded.alarm_met,
  alarm_applicable = excluded.alarm_applicable, all_met = excluded.all_met, all_applicable = excluded.all_applicable
