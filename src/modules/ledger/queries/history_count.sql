SELECT COUNT(*) FROM audit_log WHERE target >= 'ledger/' AND target < 'ledger0' AND target >= $1 AND target < $2
