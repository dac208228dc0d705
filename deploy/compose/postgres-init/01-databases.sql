-- One database per service: each service owns its database and never reads another's.
-- Runs once, when the PostgreSQL container starts on an empty data volume; the tables
-- come from the migration containers (`portal migrate <service>`).
CREATE DATABASE portal_identity;
CREATE DATABASE portal_tickets;
CREATE DATABASE portal_files;
CREATE DATABASE portal_faq;
CREATE DATABASE portal_notify;
