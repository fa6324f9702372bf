-- The W3C trace context of the work that wrote the event (the CloudEvents distributed-tracing extension on Kafka).
alter table outbox add column traceparent text;
