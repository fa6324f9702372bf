-- Who is on each hotline shift (from hotline.shifts.v1): the people on shift are the hotline's first on call.
create table hotline_shift (
    shift_id   uuid primary key,
    hotline    varchar(6) not null,
    starts_at  timestamptz not null,
    ends_at    timestamptz not null,
    -- "SUPERVISOR:supervisor.hl,OPERATOR:operator.hl"
    members    varchar(2000) not null,
    updated_at timestamptz not null
);
create index hotline_shift_by_time on hotline_shift (hotline, starts_at, ends_at);
