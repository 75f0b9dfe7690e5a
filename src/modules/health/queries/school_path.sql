-- A school's materialised path, to place a class outside the reporter's own school in or out of
-- the reporter's jurisdiction.
SELECT path FROM org_units WHERE code = $1
