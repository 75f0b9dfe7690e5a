UPDATE users SET password_hash = $2, must_change_password = $3, password_changed_at = $4, failed_attempts = 0,
  locked_until = 0 WHERE id = $1
