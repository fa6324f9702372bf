-- After a bulk load (a roster, a city-wide campaign's codes) the service refreshes the planner's statistics itself
-- (PlannerStatistics): ANALYZE needs the table's owner or, since PostgreSQL 17, the MAINTAIN privilege.
grant maintain on student, access_code to "${runtime_role}";
