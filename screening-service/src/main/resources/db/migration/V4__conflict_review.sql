-- A counsellor's decision on an online/paper conflict: keep the counted one, or replace it with the other.
alter table submission add column resolution    varchar(8) check (resolution in ('KEEP', 'REPLACE', 'REPLACED'));
alter table submission add column resolution_note varchar(500);
alter table submission add column resolved_by   varchar(64);
alter table submission add column resolved_at   timestamptz;
create index submission_conflicts on submission (campaign_id, school_id) where status = 'CONFLICT';
