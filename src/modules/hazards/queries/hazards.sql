SELECT h.id, h.school_code, s.name, h.path, h.category, h.location, h.description, h.grade, h.source,
       h.inspection_id, h.item_code, h.building_grade, h.out_of_use, h.fixed_at_once, h.found_by, h.found_at,
       h.found_on, h.photos, h.state, h.responsible, h.measures, h.funds, h.deadline, h.contingency_plan,
       h.interim_measures, h.overdue, h.overdue_since, h.supervising_level, h.escalated_at, h.next_escalation_on,
       h.explanation_required, h.explanation, h.accepted_by, h.accepted_at, h.closed_at, h.days_to_close,
       c.code, c.name
FROM hazards h JOIN org_units s ON s.code = h.school_code LEFT JOIN org_units c ON c.code = s.parent_code
WHERE h.path >= $1 AND h.path < $2
  AND ($3 = '' OR ($3 = 'open' AND h.state <> 'closed') OR h.state = $3)
  AND ($4 = '' OR h.grade = $4)
  AND ($5 = '' OR h.category = $5)
  AND ($6 = 0 OR h.overdue = 1)
  AND ($7 = 0 OR h.supervising_level <> 'school')
  AND ($8 = '' OR h.found_on >= $8) AND ($9 = '' OR h.found_on < $9)
-- D-grade buildings out of use first, then overdue, then newest.
ORDER BY h.out_of_use DESC, h.overdue DESC, h.id DESC
LIMIT $10 OFFSET $11
