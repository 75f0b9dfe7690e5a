SELECT school_code, COUNT(*), SUM(absent_ill), SUM(cases) FROM health_reports
WHERE day = $3 AND session = $4 AND current = 1 AND path >= $1 AND path < $2
GROUP BY school_code
