-- A resent submission is found by its campaign, student and clientSubmissionId (the body names the campaign).
-- The old key began with the student: each new submission wrote to a random page of an index covering every
-- submission ever made (451 MB after 4 million), so under load most inserts dirtied a page not touched since
-- the last checkpoint and wrote all 8 kB of it to the WAL (0.62 full-page images and 4.4 kB of WAL per insert,
-- pg_stat_statements, screening benchmark 2026-11-24). Keyed by campaign first, a running campaign's submissions
-- share one part of the index, which stays in memory and is written many times between checkpoints, as in
-- submission_counted_once; past semesters' parts are no longer touched (after the change: 0.00 full-page images,
-- 0.9 kB of WAL per insert).
alter table submission drop constraint submission_student_id_client_submission_id_key;
alter table submission add constraint submission_replay_key unique (campaign_id, student_id, client_submission_id);
