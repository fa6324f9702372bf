-- Transactional outbox: written in the same transaction as the state change it announces.
-- The relay publishes unpublished rows in seq order and stamps published_at.
create table outbox (
    id           uuid primary key,              -- the CloudEvent id (ce_id): the consumers' idempotency key
    seq          bigserial not null unique,     -- publication order
    topic        text not null,
    msg_key      text,
    type         text not null,                 -- ce_type, e.g. cn.xinqiao.screening.result.v1
    subject      text,                          -- ce_subject: the aggregate id
    payload      jsonb not null,
    created_at   timestamptz not null default now(),
    published_at timestamptz
);
create index outbox_pending on outbox (seq) where published_at is null;
