INSERT INTO users (username, display_name, role, org_code, org_path, classes, password_hash, must_change_password,
                   totp_secret, password_changed_at, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
RETURNING id
