-- directory.schools.v1 now says when a school was closed: a closed school leaves the compliance of the periods after it.
alter table school_dim add column closed_on date;
