-- The reference the live four-100% counters are measured against: the same figures for a unit and
-- each of its children, computed in one statement straight from org_units and the ledger tables (no
-- compliance_* table), with the rules of Evaluate(): per active school in the subtree, each item
-- from its ledger rows, then GROUP BY child. The first row (child '') is the unit itself.
--
-- $1, $2  the unit's subtree as a path range [lower, upper)    $3  length of the unit's path
-- $4      current year                                         $5  guard age limit
-- $6..$14 the guard rule set: small_threshold, base_small, base_medium, large_threshold, base_large,
--         step_students, per_boarders, minimum, boarding_minimum
-- $15     the post window's school days, as a JSON array of 'YYYY-MM-DD'
-- $16     the oldest passing alarm test that still counts ('YYYY-MM-DD')   $17  today
WITH school AS (
  SELECT s.code,
         substr(s.path, $3 + 1, instr(substr(s.path, $3 + 1), '/') - 1) AS child,
         s.locality <> 'rural' AS posts_apply,
         max(CASE WHEN s.day_students < $6 THEN $7
                  WHEN s.day_students < $9 THEN $8
                  ELSE $10 + CASE WHEN $11 > 0 THEN (s.day_students - $9) / $11 ELSE 0 END END
               + CASE WHEN $12 > 0 THEN max(0, s.boarding_students) / $12 ELSE 0 END,
             $13, CASE WHEN s.boarding = 1 THEN $14 ELSE 0 END) AS required
  FROM org_units s
  WHERE s.level = 'school' AND s.active = 1 AND s.path >= $1 AND s.path < $2
),
item AS MATERIALIZED (
  SELECT child, posts_apply,
    -- 专职保安: enough qualified full-time guards, and every minute of the week covered by a shift
    -- (no shift starts after the latest end of the shifts that start before it, and every
    -- weekday has a shift ending at 24:00).
    CASE WHEN (SELECT count(*) FROM ledger_guards g
               WHERE g.school_code = code AND g.active = 1 AND g.employment = 'full_time'
                 AND coalesce(g.certificate_no, '') <> ''
                 AND (g.birth_year IS NULL OR $4 - g.birth_year <= $5)) >= required
          AND (SELECT count(DISTINCT h.weekday) FROM ledger_gatehouse_shifts h
               WHERE h.school_code = code AND h.end_min = 1440) = 7
          AND NOT EXISTS (
            SELECT 1 FROM ledger_gatehouse_shifts a
            WHERE a.school_code = code
              AND a.start_min > coalesce((SELECT max(b.end_min) FROM ledger_gatehouse_shifts b
                                          WHERE b.school_code = a.school_code AND b.weekday = a.weekday
                                            AND b.start_min < a.start_min), 0))
         THEN 1 ELSE 0 END AS guards,
    -- 封闭化管理: the newest check of each of the four measures says it is in place (separate
    -- gates may also be not possible on the site).
    CASE WHEN (SELECT count(*) FROM ledger_closed_checks k
               WHERE k.school_code = code
                 AND k.id = (SELECT max(k2.id) FROM ledger_closed_checks k2
                             WHERE k2.school_code = k.school_code AND k2.measure = k.measure)
                 AND (k.status = 'in_place' OR (k.measure = 'separate_gates' AND k.status = 'not_possible'))) = 4
         THEN 1 ELSE 0 END AS closed,
    -- 护学岗 (urban and town schools): a staffed arrival and dismissal post on every window day.
    CASE WHEN posts_apply
          AND (SELECT count(*) FROM ledger_posts p
               WHERE p.school_code = code AND p.day IN (SELECT value FROM json_each($15))
                 AND p.police + p.staff + p.guards > 0) = 2 * json_array_length($15)
         THEN 1 ELSE 0 END AS posts,
    -- 一键报警与视频监控联网: a networked alarm, networked video, and a passing test recently.
    CASE WHEN EXISTS (SELECT 1 FROM ledger_devices d WHERE d.school_code = code AND d.active = 1
                        AND d.kind = 'alarm' AND d.police_networked = 1)
          AND EXISTS (SELECT 1 FROM ledger_devices d WHERE d.school_code = code AND d.active = 1
                        AND d.kind IN ('camera', 'nvr') AND d.police_networked = 1)
          AND coalesce((SELECT max(t.day) FROM ledger_alarm_tests t
                        WHERE t.school_code = code AND t.result = 'pass' AND t.day <= $17), '') >= $16
         THEN 1 ELSE 0 END AS alarm
  FROM school
)
SELECT '' AS child, count(*), sum(guards), count(*), sum(closed), count(*), sum(posts), sum(posts_apply),
       sum(alarm), count(*), sum(guards AND closed AND (posts OR NOT posts_apply) AND alarm), count(*)
FROM item
UNION ALL
SELECT child, count(*), sum(guards), count(*), sum(closed), count(*), sum(posts), sum(posts_apply),
       sum(alarm), count(*), sum(guards AND closed AND (posts OR NOT posts_apply) AND alarm), count(*)
FROM item GROUP BY child
ORDER BY 1
