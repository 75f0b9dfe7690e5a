SELECT step, at, by, note FROM alarm_steps WHERE alarm_id = $1 ORDER BY id
