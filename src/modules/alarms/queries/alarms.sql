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
WHERE a.path >= $1 AND a.path < $2
  AND ($3 = '' OR ($3 = 'open' AND a.status <> 'closed') OR a.status = $3)
  AND ($4 = '' OR a.kind = $4)
  AND ($5 = '' OR a.received_at >= $5) AND ($6 = '' OR a.received_at < $6)
ORDER BY
  -- Open alarms come most urgent first (raised, real, priority); history newest first.
  CASE WHEN $3 = 'open' AND a.status = 'raised' THEN 0 ELSE 1 END,
  CASE WHEN $3 = 'open' AND a.kind = 'real' THEN 0 ELSE 1 END,
  CASE WHEN $3 = 'open' THEN a.priority ELSE 0 END,
  a.id DESC
LIMIT $7 OFFSET $8
