-- A promised callback (follow_up_at) is done when the operator records it: when, how it went, a note for the hotline.
alter table call_record add column callback_done_at timestamptz;
alter table call_record add column callback_outcome varchar(12) check (callback_outcome in ('REACHED', 'NO_ANSWER', 'DECLINED'));
alter table call_record add column callback_by varchar(64);
alter table call_record add column callback_note text;
