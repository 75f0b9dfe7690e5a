SELECT count(*), total(status = 'done'), total(status = 'late'), total(status = 'missed'), total(status = 'open')
FROM inspection_dues WHERE campaign_id = $1
