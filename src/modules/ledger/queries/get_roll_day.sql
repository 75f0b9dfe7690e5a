SELECT last_roll_day FROM compliance_meta WHERE singleton = 1
