-- Idempotent consumer: one row per CloudEvent id applied, written in the same transaction
-- as the event's side effects. A redelivered event finds its id here and changes nothing.
create table inbox (
    event_id     uuid primary key,
    topic        text not null,
    type         text,
    processed_at timestamptz not null default now()
);
