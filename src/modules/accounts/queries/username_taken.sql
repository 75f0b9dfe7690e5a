SELECT 1 FROM users WHERE lower(username) = lower($1) LIMIT 1
