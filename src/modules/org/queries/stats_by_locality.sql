SELECT locality, COUNT(*) FROM org_units WHERE level = 'school' AND active = 1 AND path >= $1 AND path < $2
GROUP BY locality ORDER BY locality
