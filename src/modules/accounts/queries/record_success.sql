UPDATE users SET failed_attempts = 0, locked_until = 0, totp_last_step = $2 WHERE id = $1
