-- The admin API's own tables: live settings an admin changed, and the audit of every admin
-- action. Objects are created unqualified, in the schema Flyway was told to use.

-- One row per setting an admin changed; a setting without a row takes the environment's
-- value. name is the configuration variable (SENTINEL_FAILSAFE_MODE, ...), value its text
-- as the environment would spell it ('' clears an optional setting).
CREATE TABLE admin_setting (
    name       text        PRIMARY KEY,
    value      text        NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT admin_setting_name_shape CHECK (name ~ '^[A-Z][A-Z0-9_]{0,63}$')
);

-- One row per admin action. target names a binding by hint and hash prefix, or a setting;
-- never a raw key.
CREATE TABLE admin_audit (
    id       bigserial   PRIMARY KEY,
    at       timestamptz NOT NULL,
    action   text        NOT NULL,
    target   text        NOT NULL,
    admin_ip inet        NOT NULL,
    detail   text        NOT NULL DEFAULT ''
);

-- Newest first for the console; then per action.
CREATE INDEX admin_audit_at_idx ON admin_audit (at DESC, id DESC);
CREATE INDEX admin_audit_action_at_idx ON admin_audit (action, at DESC);

