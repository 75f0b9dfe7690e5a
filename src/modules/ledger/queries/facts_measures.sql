SELECT c.school_code, c.measure, c.status FROM ledger_closed_checks c
WHERE c.school_code BETWEEN $1 AND $2
  AND NOT EXISTS (SELECT 1 FROM ledger_closed_checks d
                  WHERE d.school_code = c.school_code AND d.measure = c.measure
                    AND (d.checked_on > c.checked_on OR (d.checked_on = c.checked_on AND d.id > c.id)))
