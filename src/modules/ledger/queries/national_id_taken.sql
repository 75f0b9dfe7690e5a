SELECT 1 FROM ledger_devices WHERE national_id = $1 AND id <> $2 LIMIT 1
