-- The CloudEvents datacontenttype of each event (FHIR messages are application/fhir+json).
alter table outbox add column content_type varchar(40) not null default 'application/json';
