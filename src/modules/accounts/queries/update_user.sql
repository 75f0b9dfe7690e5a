UPDATE users SET display_name = $2, role = $3, classes = $4, active = $5 WHERE id = $1
