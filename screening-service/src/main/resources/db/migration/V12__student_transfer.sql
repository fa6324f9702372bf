-- A student who changes school keeps one record. The national student registration number (全国学籍号) recognises them;
-- it embeds the ID-card number, so only its keyed hash is stored (Pseudonyms.nationalKey).
alter table student add column national_key varchar(43);
create unique index student_national_key on student (national_key) where national_key is not null;

-- every move, by roster import at the new school or by the bureau (who, when, from where to where)
create table student_transfer (
    id              uuid primary key,
    student_id      uuid not null references student (id),
    from_school_id  varchar(10) not null,
    from_number     varchar(32) not null,
    to_school_id    varchar(10) not null,
    to_number       varchar(32) not null,
    via             varchar(16) not null check (via in ('ROSTER_IMPORT', 'BUREAU')),
    moved_by        varchar(64) not null,
    moved_at        timestamptz not null
);
create index student_transfer_by_student on student_transfer (student_id, moved_at);
