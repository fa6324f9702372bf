-- Access codes are kept so that a read of this database does not reveal a working one: looked up by a keyed hash,
-- sealed (AES-GCM) for printing the slips; the keys live outside the database (xinqiao.access-code.secret).
-- Rows written before this (a plain code) are converted at start (AccessCodeSealing), then hold no plain code.
alter table access_code drop constraint access_code_pkey;
alter table access_code add primary key (campaign_id, student_id);
alter table access_code drop constraint access_code_campaign_id_student_id_key;
alter table access_code alter column code drop not null;
alter table access_code add column code_hash varchar(43);
alter table access_code add column code_sealed bytea;
create unique index access_code_hash on access_code (code_hash);
-- the second factor: a code whose birth date is typed wrong too often is locked until the school issues a new one
alter table access_code add column failed_attempts smallint not null default 0;
alter table access_code add column locked_at timestamptz;
create index access_code_plain on access_code (campaign_id) where code is not null;

-- The failure budget of each client network, shared by every replica. Failures count against it; each student
-- who logs in from the network in the window earns one more (up to a cap), so a school's computer room behind one
-- NAT address is not locked out by its pupils' typing, while a network that only guesses is.
create table login_budget (
    network      varchar(45) primary key,
    window_start timestamptz not null,
    failures     int not null default 0,
    successes    int not null default 0,
    locked_until timestamptz
);
create index login_budget_locked on login_budget (locked_until) where locked_until is not null;

-- Logins per minute, city-wide, to see a guessing run (a spike of failures against successes) and raise the alarm.
create table login_rate (
    minute    timestamptz primary key,
    failures  int not null default 0,
    successes int not null default 0
);
create table login_alarm (
    raised_for timestamptz primary key,
    failures   int not null,
    successes  int not null,
    networks   int not null,
    raised_at  timestamptz not null default now()
);
