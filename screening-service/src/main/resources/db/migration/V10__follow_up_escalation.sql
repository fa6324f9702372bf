-- An overdue follow-up escalates like a procedure step: the school admin when it is late, the county bureau later.
alter table follow_up add column school_admin_alerted_at timestamptz;
alter table follow_up add column bureau_alerted_at timestamptz;
create index follow_up_open_due on follow_up (due_on) where outcome is null;
