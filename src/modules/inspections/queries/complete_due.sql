UPDATE inspection_dues SET status = $2, inspection_id = $3 WHERE id = $1 AND status IN ('open', 'missed')
