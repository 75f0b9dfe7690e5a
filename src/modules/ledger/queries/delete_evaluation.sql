DELETE FROM compliance_school WHERE school_code = $1
