SELECT a.id, a.school_code, s.name, a.path, a.source, a.device_id, a.kind, a.priority, a.pressed_at, a.received_at,
       a.location, a.description, a.status, a.level, a.escalate_at, a.acknowledged_at, a.acknowledged_by,
       a.dispatched_at, a.on_scene_at, a.closed_at, a.outcome, a.raised_by,
       -- Who raised it as people know it: an alarm host by its source's name (source_ref
       -- source:<id>), a GB/T 28181 device by its name in the school's ledger.
       CASE a.source
         WHEN 'ingest' THEN (SELECT src.name FROM alarm_sources src WHERE src.id = CAST(substr(a.source_ref, 8) AS INTEGER))
         WHEN 'gb28181' THEN (SELECT d.name FROM ledger_devices d WHERE d.national_id = a.device_id
                                AND d.school_code = a.school_code ORDER BY d.active DESC, d.id LIMIT 1)
       END
FROM alarm_events a JOIN org_units s ON s.code = a.school_code
WHERE a.id = $1 AND a.path >= $2 AND a.path < $3
