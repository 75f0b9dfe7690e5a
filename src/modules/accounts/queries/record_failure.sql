UPDATE users SET failed_attempts = $2, locked_until = $3 WHERE id = $1
