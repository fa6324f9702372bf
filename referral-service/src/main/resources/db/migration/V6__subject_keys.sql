-- One identity key per student (crypto-shredding): the identity in every hospital message is sealed with it, and
-- erasing the student deletes the key, after which no copy of those messages (topic, mirror, backup of the topic)
-- can be read. Kept wrapped under the deployment's key (xinqiao.identity-seal.secret), never in the clear.
create table subject_key (
    key_id      uuid primary key,
    student_key varchar(43) not null unique,
    wrapped     bytea not null,
    created_at  timestamptz not null default now()
);

-- Students erased here (screening.erasures.v1): nothing of theirs is sealed, stored or sent again.
create table erased_subject (
    student_key varchar(43) primary key,
    erasure_id  uuid not null,
    erased_at   timestamptz not null
);
