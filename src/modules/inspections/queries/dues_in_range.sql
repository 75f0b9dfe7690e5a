SELECT 1 FROM inspection_dues WHERE campaign_id = $1 AND path >= $2 AND path < $3 LIMIT 1
