-- A key an admin binds ahead of use has not been used from anywhere yet: its last address
-- stays empty until the first allowed use writes one.
ALTER TABLE binding ALTER COLUMN last_ip DROP NOT NULL;
ALTER TABLE archived_binding ALTER COLUMN last_ip DROP NOT NULL;
