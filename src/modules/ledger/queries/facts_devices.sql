SELECT school_code,
       SUM(CASE WHEN active = 1 AND kind = 'alarm' AND police_networked = 1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN active = 1 AND kind IN ('camera', 'nvr') AND police_networked = 1 THEN 1 ELSE 0 END)
FROM ledger_devices WHERE school_code BETWEEN $1 AND $2 GROUP BY school_code
