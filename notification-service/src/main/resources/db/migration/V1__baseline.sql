-- notification-service schema starts with the platform tables (outbox, inbox, audit); its own tables follow in V2.
select 1;
