UPDATE health_classes SET name = $3, enrolment = $4, boarding = $5, active = $6, updated_at = $7
WHERE school_code = $1 AND id = $2
