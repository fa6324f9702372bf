-- Least privilege: the service runs as ${runtime_role}, which may read and write rows and nothing more. Migrations
-- (this one included) run as the database's owner role, so the runtime role can neither change the schema nor,
-- lacking ownership of audit_log, disable its append-only trigger; on audit_log it may only read and append.
alter default privileges in schema public grant select, insert, update, delete on tables to "${runtime_role}";
alter default privileges in schema public grant usage, select, update on sequences to "${runtime_role}";
grant select, insert, update, delete on all tables in schema public to "${runtime_role}";
grant usage, select, update on all sequences in schema public to "${runtime_role}";
revoke update, delete, truncate on audit_log from "${runtime_role}";
-- audit_log is created by V0_3: every table made later gets the default grants above, never audit_log's rights
