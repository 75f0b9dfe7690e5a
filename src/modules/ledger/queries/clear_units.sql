DELETE FROM compliance_unit
