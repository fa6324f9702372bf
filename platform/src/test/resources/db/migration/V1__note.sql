create table note (id uuid primary key, text text not null);
create table note_seen (note_id uuid primary key, times int not null);
