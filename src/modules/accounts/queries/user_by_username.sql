SELECT u.id, u.username, u.display_name, u.role, u.org_code, u.org_path, u.classes, u.password_hash, u.must_change_password, u.totp_secret, u.totp_last_step, u.failed_attempts, u.locked_until, u.active, u.password_changed_at, u.created_at, o.name
FROM users u JOIN org_units o ON o.code = u.org_code WHERE u.username = $1
