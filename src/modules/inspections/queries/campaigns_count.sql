SELECT count(*) FROM campaigns c
WHERE (c.org_path >= $1 AND c.org_path < $2)
   OR (substr($1, 1, length(c.org_path)) = c.org_path
       AND EXISTS (SELECT 1 FROM inspection_dues d WHERE d.campaign_id = c.id AND d.path >= $1 AND d.path < $2))
