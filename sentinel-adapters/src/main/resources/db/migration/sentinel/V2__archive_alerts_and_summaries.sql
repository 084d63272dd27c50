-- Archive retention, alerts, and the per-minute summaries of flooded keys.
-- Objects are created unqualified, in the schema Flyway was told to use.

-- Bindings retired for being idle. A key can be archived, bind again and be archived again,
-- so token_hash is not unique here.
CREATE TABLE archived_binding (
    id                 bigserial   PRIMARY KEY,
    binding_id         bigint      NOT NULL,
    token_hash         char(64)    NOT NULL,
    hint               text        NOT NULL,
    rules              cidr[]      NOT NULL,
    status             text        NOT NULL,
    rules_set_by_admin boolean     NOT NULL,
    bound_at           timestamptz NOT NULL,
    last_seen_at       timestamptz NOT NULL,
    last_ip            inet        NOT NULL,
    note               text        NOT NULL,
    revision           bigint      NOT NULL,
    archived_at        timestamptz NOT NULL
);

CREATE INDEX archived_binding_token_idx ON archived_binding (token_hash, archived_at DESC);
CREATE INDEX archived_binding_archived_at_idx ON archived_binding (archived_at DESC);

-- Intercepts of one key in one minute past INTERCEPT_LOG_PER_KEY rows: one row holds their
-- number, a bounded set of their addresses and their first and last time. Rows in
-- intercept_log plus the intercepts counted here are every intercept written.
CREATE TABLE intercept_summary (
    token_hash         char(64)    NOT NULL,
    minute             timestamptz NOT NULL,
    hint               text        NOT NULL,
    intercepts         bigint      NOT NULL,
    addresses          inet[]      NOT NULL,
    distinct_addresses integer     GENERATED ALWAYS AS (cardinality(addresses)) STORED,
    first_at           timestamptz NOT NULL,
    last_at            timestamptz NOT NULL,
    PRIMARY KEY (token_hash, minute),
    CONSTRAINT intercept_summary_counts CHECK (intercepts > 0),
    CONSTRAINT intercept_summary_minute CHECK (minute = date_trunc('minute', minute))
);

CREATE INDEX intercept_summary_minute_idx ON intercept_summary (minute DESC);

-- One row per key and alert window: the replica that claimed the window writes it, with
-- what became of its webhook.
CREATE TABLE alert (
    id           bigserial   PRIMARY KEY,
    raised_at    timestamptz NOT NULL,
    token_hash   char(64)    NOT NULL,
    hint         text        NOT NULL,
    window_start timestamptz NOT NULL,
    window_end   timestamptz NOT NULL,
    intercepts   bigint      NOT NULL,
    threshold    integer     NOT NULL,
    addresses    inet[]      NOT NULL,
    delivery     text        NOT NULL,
    attempts     integer     NOT NULL,
    detail       text        NOT NULL DEFAULT '',
    CONSTRAINT alert_delivery_known
        CHECK (delivery IN ('sent', 'failed', 'not_configured', 'dropped')),
    CONSTRAINT alert_one_per_window UNIQUE (token_hash, window_start, window_end)
);

CREATE INDEX alert_raised_at_idx ON alert (raised_at DESC);
