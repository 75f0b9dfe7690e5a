SELECT school_code,
       SUM(CASE WHEN active = 1 AND employment = 'full_time' AND COALESCE(certificate_no, '') <> ''
                 AND (birth_year IS NULL OR $3 - birth_year <= $4) THEN 1 ELSE 0 END),
       SUM(CASE WHEN active = 1 AND employment = 'full_time' AND COALESCE(certificate_no, '') = '' THEN 1 ELSE 0 END),
       SUM(CASE WHEN active = 1 AND employment = 'full_time' AND COALESCE(certificate_no, '') <> ''
                 AND birth_year IS NOT NULL AND $3 - birth_year > $4 THEN 1 ELSE 0 END)
FROM ledger_guards WHERE school_code BETWEEN $1 AND $2 GROUP BY school_code
