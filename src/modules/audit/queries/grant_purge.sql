INSERT INTO audit_purge_permit (singleton) VALUES (1)
