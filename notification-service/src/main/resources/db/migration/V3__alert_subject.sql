-- An alert's subject names what settles it: a referral, a case, or one step or follow-up of a case ("<case>:<code>").
alter table alert alter column subject type varchar(100);
create index alert_open_by_subject on alert (subject) where acked_at is null;
