-- Of each enrolment cell, the students whose guardians declined or withdrew consent this school year: coverage
-- counts them apart ("未同意"), not as students still to screen.
alter table enrolment add column not_consenting int not null default 0;
