SELECT COUNT(*) FROM compliance_unit
