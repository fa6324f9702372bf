-- One identity key per student (crypto-shredding): the identity in every hospital message is sealed with it, and
-- erasing the student deletes the key, after which no copy of those messages (topic, mirror, backup of the topic)
-- can be read. Kept wrapped under the deployment's key (xinqiao.identity-seal.secret), never in the clear.
create table subject_key (
    key_id      uuid primary key,
    student_key varchar(43) not null unique,
    wrapped     bytea not null,
    created_at  timestamptz not null default now()
);

-- Erasures applied here (screening.erasures.v1): the record that it was done, without the student.
create table erasure_applied (
    erasure_id uuid primary key,
    referrals  int not null,
    applied_at timestamptz not null
);
