-- A partner hospital's outreach: popular-science publications on its own channels ("每季度至少在本单位网络宣传阵地发布1次")
-- and experts' visits to schools. Recorded by the hospital's clinicians; public facts, no student in them.
create table outreach_item (
    id            uuid primary key,
    hospital_id   varchar(10) not null,
    district_code varchar(6) not null,          -- the hospital's, from the directory
    kind          varchar(16) not null check (kind in ('PUBLICATION', 'SCHOOL_VISIT')),
    channel       varchar(12) not null check (channel in ('WECHAT', 'WEBSITE', 'VIDEO', 'PRINT', 'BROADCAST', 'CLASSROOM', 'OTHER')),
    title         varchar(200) not null,
    published_on  date not null,
    link          varchar(500),
    school_id     varchar(10),                  -- the school a visit went to
    recorded_by   varchar(100) not null,
    recorded_at   timestamptz not null default now()
);
create index outreach_item_hospital on outreach_item (hospital_id, published_on);
create index outreach_item_district on outreach_item (district_code, published_on);
