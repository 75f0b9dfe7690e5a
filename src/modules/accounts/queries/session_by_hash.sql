SELECT u.id, u.username, u.display_name, u.role, u.org_code, u.org_path, u.classes, u.password_hash, u.must_change_password, u.totp_secret, u.totp_last_step, u.failed_attempts, u.locked_until, u.active, u.password_changed_at, u.created_at, o.name, s.csrf_token, s.created_at, s.last_seen_at
FROM sessions s JOIN users u ON u.id = s.user_id JOIN org_units o ON o.code = u.org_code
WHERE s.token_hash = $1
