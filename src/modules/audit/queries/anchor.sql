SELECT last_id, last_hash FROM audit_anchor WHERE singleton = 1
