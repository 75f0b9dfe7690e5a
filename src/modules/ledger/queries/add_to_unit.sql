INSERT INTO compliance_unit (unit_code, schools, guards_met, guards_applicable, closed_met, closed_applicable,
                             posts_met, posts_applicable, alarm_met, alarm_applicable, all_met, all_applicable)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
ON CONFLICT (unit_code) DO UPDATE SET schools = compliance_unit.schools + excluded.schools,
  guards_met = compliance_unit.guards_met + excluded.guards_met,
  guards_applicable = compliance_unit.guards_applicable + excluded.guards_applicable,
  closed_met = compliance_unit.closed_met + excluded.closed_met,
  closed_applicable = compliance_unit.closed_applicable + excluded.closed_applicable,
  posts_met = compliance_unit.posts_met + excluded.posts_met,
  posts_applicable = compliance_unit.posts_applicable + excluded.posts_applicable,
  alarm_met = compliance_unit.alarm_met + excluded.alarm_met,
  alarm_applicable = compliance_unit.alarm_applicable + excluded.alarm_applicable,
  all_met = compliance_unit.all_met + excluded.all_met,
  all_applicable = compliance_unit.all_applicable + excluded.all_applicable
