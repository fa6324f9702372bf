-- The audit log is kept 3 years (docs/privacy.md) and then purged by the retention job. The runtime role still may
-- not delete a row: it may only call this function, which runs as the table's owner, refuses any cutoff under 3
-- years, and is the one way past the append-only trigger (which also checks the age of every row it lets go).
create or replace function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' and current_setting('xinqiao.audit_purge', true) = 'on' and old.at < now() - interval '3 years' then
        return old;
    end if;
    raise exception 'audit_log is append-only';
end $$;

create function audit_log_purge(cutoff timestamptz, batch int) returns bigint
    language plpgsql security definer set search_path = public as $$
declare
    n bigint;
begin
    if cutoff > now() - interval '3 years' then
        raise exception 'the audit log is kept 3 years: % is too recent', cutoff;
    end if;
    perform set_config('xinqiao.audit_purge', 'on', true);
    delete from audit_log where id in (select id from audit_log where at < cutoff order by id limit batch);
    get diagnostics n = row_count;
    perform set_config('xinqiao.audit_purge', 'off', true);
    return n;
end $$;
revoke all on function audit_log_purge(timestamptz, int) from public;
grant execute on function audit_log_purge(timestamptz, int) to "${runtime_role}";
