-- Campaigns that concern the unit [$1, $2) at path $1: issued inside its subtree, or issued above it
-- with a due row inside it. Newest first.
SELECT c.id FROM campaigns c
WHERE (c.org_path >= $1 AND c.org_path < $2)
   OR (substr($1, 1, length(c.org_path)) = c.org_path
       AND EXISTS (SELECT 1 FROM inspection_dues d WHERE d.campaign_id = c.id AND d.path >= $1 AND d.path < $2))
ORDER BY c.id DESC
LIMIT $3 OFFSET $4
