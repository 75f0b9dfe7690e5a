SELECT national_id, registered_until, last_seen, gone_at, transport, address, port, channels, catalog_complete, catalog_at,
       status, status_since
FROM device_status
