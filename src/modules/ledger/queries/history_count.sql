SELECT COUNT(*) FROM audit_log WHERE target >= $1 AND target < $2
