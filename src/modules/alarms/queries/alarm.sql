SELECT a.id, a.school_code, s.name, a.path, a.source, a.device_id, a.kind, a.priority, a.pressed_at, a.received_at,
       a.location, a.description, a.status, a.level, a.escalate_at, a.acknowledged_at, a.acknowledged_by,
       a.dispatched_at, a.on_scene_at, a.closed_at, a.outcome, a.raised_by
FROM alarm_events a JOIN org_units s ON s.code = a.school_code
WHERE a.id = $1 AND a.path >= $2 AND a.path < $3
