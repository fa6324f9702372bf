-- hotline-service schema starts with the platform tables (outbox, inbox, audit); call records follow in V2.
select 1;
