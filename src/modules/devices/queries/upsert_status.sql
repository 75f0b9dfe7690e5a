INSERT INTO device_status (national_id, school_code, path, status, transport, address, port, registered_until, last_seen,
                           gone_at, channels, catalog_complete, catalog_at, status_since, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
ON CONFLICT (national_id) DO UPDATE SET school_code = excluded.school_code, path = excluded.path,
  status = excluded.status, transport = excluded.transport, address = excluded.address, port = excluded.port,
  registered_until = excluded.registered_until, last_seen = excluded.last_seen, gone_at = excluded.gone_at,
  channels = excluded.channels, catalog_complete = excluded.catalog_complete, catalog_at = excluded.catalog_at,
  status_since = excluded.status_since, updated_at = excluded.updated_at
