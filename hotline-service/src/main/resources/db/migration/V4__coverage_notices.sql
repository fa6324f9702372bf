-- What hotline.coverage.v1 last said about a hotline's day: the check publishes again only when the gaps change.
create table coverage_notice (
    hotline      varchar(6) not null,
    day          date not null,
    gaps         text not null,
    published_at timestamptz not null,
    primary key (hotline, day)
);
