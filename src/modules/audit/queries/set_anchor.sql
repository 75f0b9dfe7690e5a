INSERT INTO audit_anchor (singleton, last_id, last_hash) VALUES (1, $1, $2)
ON CONFLICT (singleton) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash
