-- An import that kills the process (a file that unpacks to gigabytes) was resumed at every start, for ever: it is
-- now started at most three times, then marked FAILED with its reason.
alter table roster_import add column attempts smallint not null default 0;
