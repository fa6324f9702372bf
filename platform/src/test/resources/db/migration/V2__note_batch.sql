create table note_seen_batch (note_id uuid primary key, times int not null);
