-- The rebuild by replay stages events in tables of its own (rb_*, made and dropped by each run) and replaces the read
-- models' rows at once (truncate, then insert): the runtime role may create tables in the schema and truncate the
-- read models. Not audit_log: it stays select and insert only (V0_6__runtime_role).
grant create on schema public to "${runtime_role}";
grant truncate on all tables in schema public to "${runtime_role}";
alter default privileges in schema public grant truncate on tables to "${runtime_role}";
revoke truncate on audit_log from "${runtime_role}";
