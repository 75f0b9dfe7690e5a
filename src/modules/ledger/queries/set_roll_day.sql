INSERT INTO compliance_meta (singleton, last_roll_day) VALUES (1, $1)
ON CONFLICT (singleton) DO UPDATE SET last_roll_day = excluded.last_roll_day
