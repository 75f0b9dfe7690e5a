UPDATE campaigns SET rounds_created = $2 WHERE id = $1 AND rounds_created < $2
