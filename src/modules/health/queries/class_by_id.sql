SELECT c.id, c.school_code, c.grade, c.name, c.enrolment, c.boarding, c.active, u.path
FROM health_classes c JOIN org_units u ON u.code = c.school_code WHERE c.id = $1
