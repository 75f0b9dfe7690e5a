-- Whether the school ($1) has an active boarding class, which reports an evening check.
SELECT EXISTS (SELECT 1 FROM health_classes WHERE school_code = $1 AND active = 1 AND boarding = 1)
