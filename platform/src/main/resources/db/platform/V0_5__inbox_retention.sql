-- The inbox keeps an event id for as long as a redelivery of that event can arrive (xinqiao.inbox.retention), then
-- forgets it: without this it grows by one row per event forever.
create index inbox_processed_at on inbox (processed_at);
