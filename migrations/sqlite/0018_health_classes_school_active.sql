-- The classes a jurisdiction expects to report, counted per school (completeness_expected.sql), from
-- an index that holds all the query reads of a class: its school, whether it is active, whether it
-- boards, and its id. Through UNIQUE (school_code, name) each class cost a read of its table row,
-- which made the province's completeness (550,000 classes in health_bench's Henan day) take 0.6 s.
-- Classes change rarely (a school's set-up, a new term), so the index costs their writes little.
CREATE INDEX health_classes_school_active ON health_classes(school_code, active, boarding);
