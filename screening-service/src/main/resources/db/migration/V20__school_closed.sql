-- A school the directory closes (merged, shut): kept with its history, but no new campaign or roster import takes it.
alter table school add column closed_on date;
