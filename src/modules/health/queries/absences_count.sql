SELECT COUNT(*) FROM health_absences WHERE school_code = $1 AND ($2 = 'all' OR status = $2)
