SELECT count(*) FROM hazards WHERE found_by LIKE 'demo-%' AND description LIKE '【演示】%'
