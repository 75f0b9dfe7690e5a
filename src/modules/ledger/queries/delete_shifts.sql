DELETE FROM ledger_gatehouse_shifts WHERE school_code = $1
