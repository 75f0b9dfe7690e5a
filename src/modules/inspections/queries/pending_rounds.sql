SELECT id, cadence, starts_on, ends_on, rounds_created, org_path, school_types, locality
FROM campaigns WHERE rounds_created < rounds
ORDER BY id
