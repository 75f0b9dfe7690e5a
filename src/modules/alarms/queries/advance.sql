UPDATE alarm_events SET status = $2,
  acknowledged_at = CASE WHEN acknowledged_at IS NULL AND $2 IN ('acknowledged', 'dispatched', 'on_scene', 'closed') THEN $3 ELSE acknowledged_at END,
  acknowledged_by = CASE WHEN acknowledged_by IS NULL AND $2 IN ('acknowledged', 'dispatched', 'on_scene', 'closed') THEN $4 ELSE acknowledged_by END,
  dispatched_at = CASE WHEN $2 = 'dispatched' THEN $3 ELSE dispatched_at END,
  on_scene_at = CASE WHEN $2 = 'on_scene' THEN $3 ELSE on_scene_at END,
  closed_at = CASE WHEN $2 = 'closed' THEN $3 ELSE closed_at END,
  outcome = CASE WHEN $2 = 'closed' THEN $5 ELSE outcome END,
  escalate_at = NULL
WHERE id = $1 AND status = $6
