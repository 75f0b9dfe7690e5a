SELECT code FROM org_units WHERE level = 'school' ORDER BY code
