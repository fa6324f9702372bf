-- Append-only audit of every read or change of identifiable student data.
create table audit_log (
    id          bigserial primary key,
    at          timestamptz not null default now(),
    actor       text not null,              -- token subject (or 'student:<session>' / 'system')
    actor_roles text not null,
    action      text not null,              -- READ / CREATE / UPDATE / EXPORT ...
    resource    text not null,              -- e.g. 'student', 'submission', 'referral'
    resource_id text,
    school_id   text,
    purpose     text not null
);
create index audit_log_at on audit_log (at);
create index audit_log_resource on audit_log (resource, resource_id);

create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only';
end $$;
create trigger audit_log_no_update before update or delete on audit_log
    for each row execute function audit_log_is_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_is_append_only();
