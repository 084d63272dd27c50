-- Sentinel's first schema: key bindings and the intercept log.
-- Objects are created unqualified, in the schema Flyway was told to use.

-- One row per bound key. token_hash is HMAC-SHA256 of the canonical key, never the key.
CREATE TABLE binding (
    id                 bigserial   PRIMARY KEY,
    token_hash         char(64)    NOT NULL UNIQUE,
    hint               text        NOT NULL,
    rules              cidr[]      NOT NULL,
    status             text        NOT NULL,
    rules_set_by_admin boolean     NOT NULL DEFAULT false,
    bound_at           timestamptz NOT NULL,
    last_seen_at       timestamptz NOT NULL,
    last_ip            inet        NOT NULL,
    note               text        NOT NULL DEFAULT '',
    revision           bigint      NOT NULL DEFAULT 0,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT binding_token_hash_hex CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT binding_rules_present
        CHECK (cardinality(rules) > 0 AND array_ndims(rules) = 1
               AND array_position(rules, NULL) IS NULL),
    CONSTRAINT binding_status_known CHECK (status IN ('active', 'banned')),
    CONSTRAINT binding_revision_not_negative CHECK (revision >= 0)
);

-- The archive job looks for idle, active, automatically bound keys.
CREATE INDEX binding_idle_idx ON binding (last_seen_at)
    WHERE status = 'active' AND NOT rules_set_by_admin;

-- One row per stopped request. No query string is stored: keys travel in ?key=.
CREATE TABLE intercept_log (
    id          bigserial   PRIMARY KEY,
    at          timestamptz NOT NULL,
    token_hash  char(64)    NOT NULL,
    hint        text        NOT NULL,
    client_ip   inet        NOT NULL,
    bound_rules cidr[]      NOT NULL,
    method      text        NOT NULL,
    path        text        NOT NULL,
    user_agent  text        NOT NULL,
    reason      text        NOT NULL
);

-- Newest first, for the console and exports; then per key and per address.
CREATE INDEX intercept_log_at_idx ON intercept_log (at DESC, id DESC);
CREATE INDEX intercept_log_token_at_idx ON intercept_log (token_hash, at DESC);
CREATE INDEX intercept_log_client_ip_at_idx ON intercept_log (client_ip, at DESC);
