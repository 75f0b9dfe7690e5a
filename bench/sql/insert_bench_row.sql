INSERT INTO bench_rows (writer, payload, created_at) VALUES ($1, $2, $3)
