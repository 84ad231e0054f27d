"""The schema of the service's database: the ordered list of migration scripts, for both
back-ends (run by form_service/db/migrations.py).

Each entry brings the schema from version N to N + 1 (SQLite: PRAGMA user_version counts them;
PostgreSQL: the table aidess_schema). To add tables or columns, append a new script at the
end: never edit or reorder a script that has shipped, a database already at that version
would not run it again. Scripts are written in SQLite's spelling; for PostgreSQL their column
types are rewritten (form_service/db/dialect.py: INTEGER PRIMARY KEY, REAL, BLOB), so keep to
those types and to SQL both understand. Statements are split on ";", so comments must not
contain one.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    """
    CREATE TABLE requests (
        id TEXT PRIMARY KEY,
        created REAL NOT NULL,           -- Unix time
        fingerprint TEXT,                -- hash of the normalised content, for dedupe
        departement TEXT NOT NULL,
        forme TEXT NOT NULL,
        effectif TEXT NOT NULL,
        secteur TEXT NOT NULL,
        etape TEXT,
        besoins TEXT NOT NULL,           -- JSON list
        aide TEXT,
        reseaux TEXT NOT NULL,           -- JSON list of network slugs
        fallback INTEGER NOT NULL,
        personal TEXT,                   -- JSON of the personal fields, NULL once purged
        purged REAL
    );
    CREATE INDEX requests_fingerprint ON requests (fingerprint, created);
    CREATE INDEX requests_created ON requests (created);
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        request_id TEXT NOT NULL REFERENCES requests (id),
        kind TEXT NOT NULL,              -- reseau, accuse, secours
        recipient TEXT NOT NULL,
        message_id TEXT NOT NULL UNIQUE, -- fixed at queue time: a resend is the same message
        message BLOB NOT NULL,
        status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt REAL NOT NULL,
        lease_until REAL,
        lease_owner TEXT,
        last_error TEXT,
        created REAL NOT NULL,
        sent REAL
    );
    CREATE INDEX outbox_due ON outbox (status, next_attempt);
    """,
    # Emails rendered at send time: the request keeps what they need besides its personal
    # data (mails, JSON), an outbox row names its network, and `message` is only kept for
    # rows queued before this version.
    """
    ALTER TABLE requests ADD COLUMN mails TEXT;
    CREATE TABLE outbox_v2 (
        id INTEGER PRIMARY KEY,
        request_id TEXT NOT NULL REFERENCES requests (id),
        kind TEXT NOT NULL,
        recipient TEXT NOT NULL,
        reseau TEXT,
        message_id TEXT NOT NULL UNIQUE,
        message BLOB,
        status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt REAL NOT NULL,
        lease_until REAL,
        lease_owner TEXT,
        last_error TEXT,
        created REAL NOT NULL,
        sent REAL
    );
    INSERT INTO outbox_v2 (id, request_id, kind, recipient, message_id, message, status,
        attempts, next_attempt, lease_until, lease_owner, last_error, created, sent)
        SELECT id, request_id, kind, recipient, message_id, message, status, attempts,
        next_attempt, lease_until, lease_owner, last_error, created, sent FROM outbox;
    DROP TABLE outbox;
    ALTER TABLE outbox_v2 RENAME TO outbox;
    CREATE INDEX outbox_due ON outbox (status, next_attempt);
    """,
    # Dossiers (docs/interfaces.md §7): one per stored request (same id), its recipients, the keys
    # (SHA-256 only), and the events, appended, never edited. `token` makes an action
    # idempotent (a double submit of one form is one event). An outbox row may carry the
    # key its mail links with (`cle`, cleared once sent), or be rendered at queue time.
    """
    CREATE TABLE dossiers (
        id TEXT PRIMARY KEY REFERENCES requests (id),
        reference TEXT NOT NULL UNIQUE,  -- AID-2026-00042
        created REAL NOT NULL,
        departement TEXT NOT NULL,
        besoins TEXT NOT NULL,           -- JSON list
        follows TEXT,                    -- earlier dossier of the same structure (30 days)
        email_hash TEXT,                 -- to find a follow-up, NULL once purged
        ident_hash TEXT,
        purged REAL
    );
    CREATE INDEX dossiers_created ON dossiers (created);
    CREATE TABLE recipients (
        dossier_id TEXT NOT NULL REFERENCES dossiers (id),
        id TEXT NOT NULL,                -- r1, r2…
        role TEXT NOT NULL,              -- reseau, coordination, secours
        slug TEXT,
        nom TEXT NOT NULL,
        email TEXT NOT NULL,
        added REAL NOT NULL,
        via TEXT NOT NULL,
        PRIMARY KEY (dossier_id, id)
    );
    CREATE TABLE dossier_keys (
        dossier_id TEXT NOT NULL REFERENCES dossiers (id),
        holder TEXT NOT NULL,            -- a recipient id, or demandeur
        digest TEXT NOT NULL,            -- every mail carries a key of its own
        PRIMARY KEY (dossier_id, digest)
    );
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        dossier_id TEXT NOT NULL REFERENCES dossiers (id),
        at REAL NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        text TEXT,                       -- note or motif, NULL once purged
        value TEXT,
        token TEXT,
        UNIQUE (dossier_id, token)
    );
    CREATE INDEX events_dossier ON events (dossier_id, id);
    ALTER TABLE outbox ADD COLUMN cle TEXT;
    """,
    # The outbox indexed by request (purge and erasure look its rows up by request: without
    # it, a purge of 35,000 requests held the write lock for minutes). Rate-limit slots
    # reserved in the database, in the transaction that stores the request, so concurrent
    # requests and several processes share one count: key is a hash of the client's address
    # (or /64 network), kept for one period. One row that /sante rewrites, to know the
    # database can still be written.
    """
    CREATE INDEX outbox_request ON outbox (request_id);
    CREATE TABLE rate_slots (
        key TEXT NOT NULL,
        at REAL NOT NULL
    );
    CREATE INDEX rate_slots_key ON rate_slots (key, at);
    CREATE TABLE health (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        at REAL NOT NULL
    );
    """,
    # Signalements (docs/interfaces.md §9): reports sent from the site's pages, and their mail to
    # the
    # editors, rendered when queued: an outbox row belongs to a request or to a report.
    """
    CREATE TABLE signalements (
        id TEXT PRIMARY KEY,
        created REAL NOT NULL,           -- Unix time
        kind TEXT NOT NULL,              -- erreur, aide, reseau
        page TEXT NOT NULL,              -- path of the page it was sent from
        fichier TEXT,                    -- content file to edit, if the page is a record's
        message TEXT,                    -- NULL once purged
        email TEXT,
        reseau_email TEXT,
        purged REAL
    );
    CREATE INDEX signalements_created ON signalements (created);
    CREATE TABLE outbox_v3 (
        id INTEGER PRIMARY KEY,
        request_id TEXT REFERENCES requests (id),
        signalement TEXT REFERENCES signalements (id),
        kind TEXT NOT NULL,
        recipient TEXT NOT NULL,
        reseau TEXT,
        message_id TEXT NOT NULL UNIQUE,
        message BLOB,
        status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt REAL NOT NULL,
        lease_until REAL,
        lease_owner TEXT,
        last_error TEXT,
        created REAL NOT NULL,
        sent REAL,
        cle TEXT,
        CHECK ((request_id IS NULL) != (signalement IS NULL))
    );
    INSERT INTO outbox_v3 (id, request_id, kind, recipient, reseau, message_id, message,
        status, attempts, next_attempt, lease_until, lease_owner, last_error, created, sent,
        cle)
        SELECT id, request_id, kind, recipient, reseau, message_id, message, status,
        attempts, next_attempt, lease_until, lease_owner, last_error, created, sent, cle
        FROM outbox;
    DROP TABLE outbox;
    ALTER TABLE outbox_v3 RENAME TO outbox;
    CREATE INDEX outbox_due ON outbox (status, next_attempt);
    CREATE INDEX outbox_signalement ON outbox (signalement);
    CREATE INDEX outbox_request ON outbox (request_id);
    """,
    # How many rate_slots each key holds, kept with them: checking a quota then costs the
    # same whether it is 5 or a million requests per period.
    """
    CREATE TABLE rate_keys (
        key TEXT PRIMARY KEY,
        n INTEGER NOT NULL
    );
    INSERT INTO rate_keys (key, n) SELECT key, count(*) FROM rate_slots GROUP BY key;
    """,
    # Alerts (form_service/alerts/): subscriptions with their hashed keys, the content ledger
    # (when each aid was first seen, a hash of its dates), one digest per subscription and
    # ISO week. Outbox rows may belong to a subscription instead of a request: such a mail
    # is rendered when queued (it carries a key) and erased with its subscription: an outbox
    # row belongs to exactly one request, report or subscription.
    """
    CREATE TABLE alert_subscriptions (
        id TEXT PRIMARY KEY,             -- 128 random bits, hex: in the links
        email TEXT NOT NULL,
        filters TEXT NOT NULL,           -- canonical JSON (alerts/filters.py)
        fingerprint TEXT NOT NULL,       -- hash of address + filters: the same subscription
        created REAL NOT NULL,           -- Unix time
        confirmed REAL,                  -- NULL until the confirmation link is opened
        last_confirmation REAL NOT NULL  -- last confirmation mail queued
    );
    CREATE INDEX alert_subscriptions_fingerprint ON alert_subscriptions (fingerprint);
    CREATE INDEX alert_subscriptions_email ON alert_subscriptions (email);
    CREATE INDEX alert_subscriptions_pending ON alert_subscriptions (confirmed, created);
    CREATE TABLE alert_keys (
        subscription TEXT NOT NULL REFERENCES alert_subscriptions (id) ON DELETE CASCADE,
        key_hash TEXT NOT NULL,          -- SHA-256 of a key sent in one mail
        created REAL NOT NULL
    );
    CREATE INDEX alert_keys_subscription ON alert_keys (subscription);
    CREATE TABLE alert_digests (
        subscription TEXT NOT NULL REFERENCES alert_subscriptions (id) ON DELETE CASCADE,
        week TEXT NOT NULL,              -- ISO week of the Paris day, e.g. 2026-W50
        created REAL NOT NULL,
        slugs TEXT NOT NULL,             -- JSON list of the aids listed
        deadlines TEXT NOT NULL,         -- JSON list of [slug, cloture] announced
        PRIMARY KEY (subscription, week)
    );
    CREATE TABLE content_ledger (
        slug TEXT PRIMARY KEY,
        first_seen REAL NOT NULL,        -- Unix time the service first loaded the aid
        date_hash TEXT NOT NULL,
        dates_changed REAL               -- when the hash last changed
    );
    CREATE TABLE outbox_v4 (
        id INTEGER PRIMARY KEY,
        request_id TEXT REFERENCES requests (id),
        signalement TEXT REFERENCES signalements (id),
        alert TEXT REFERENCES alert_subscriptions (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        recipient TEXT NOT NULL,
        reseau TEXT,
        message_id TEXT NOT NULL UNIQUE,
        message BLOB,
        status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt REAL NOT NULL,
        lease_until REAL,
        lease_owner TEXT,
        last_error TEXT,
        created REAL NOT NULL,
        sent REAL,
        cle TEXT,
        CHECK ((CASE WHEN request_id IS NULL THEN 0 ELSE 1 END)
            + (CASE WHEN signalement IS NULL THEN 0 ELSE 1 END)
            + (CASE WHEN alert IS NULL THEN 0 ELSE 1 END) = 1)
    );
    INSERT INTO outbox_v4 (id, request_id, signalement, kind, recipient, reseau, message_id,
        message, status, attempts, next_attempt, lease_until, lease_owner, last_error,
        created, sent, cle)
        SELECT id, request_id, signalement, kind, recipient, reseau, message_id, message,
        status, attempts, next_attempt, lease_until, lease_owner, last_error, created, sent,
        cle FROM outbox;
    DROP TABLE outbox;
    ALTER TABLE outbox_v4 RENAME TO outbox;
    CREATE INDEX outbox_due ON outbox (status, next_attempt);
    CREATE INDEX outbox_signalement ON outbox (signalement);
    CREATE INDEX outbox_request ON outbox (request_id);
    CREATE INDEX outbox_alert ON outbox (alert);
    """,
    # 8: each stored request looks up the structure's earlier dossier and draws the next
    # reference: indexes and a counter per year, so neither reads every dossier of the year.
    """
    CREATE INDEX dossiers_email_hash ON dossiers (email_hash, created);
    CREATE INDEX dossiers_ident_hash ON dossiers (ident_hash, created);
    CREATE TABLE dossier_numbers (
        year INTEGER NOT NULL,           -- a plain key, not an identity column
        last INTEGER NOT NULL,
        PRIMARY KEY (year)
    );
    INSERT INTO dossier_numbers (year, last)
        SELECT CAST(substr(reference, 5, 4) AS INTEGER),
            max(CAST(substr(reference, 10) AS INTEGER))
        FROM dossiers GROUP BY CAST(substr(reference, 5, 4) AS INTEGER);
    """,
    # 9: the outbox owns its table. A row names the feature whose mail it is (`owner`:
    # demande, signalement, alerte) and its id there, instead of one nullable column per
    # feature; `forget` says the message and key are cleared once sent or given up (the
    # feature decided it when it queued the mail); `after_kind` holds a row back while a
    # sibling of that kind is untried or being sent (the acknowledgment waits for the
    # networks' mails). Rows of every status come across as they were.
    """
    CREATE TABLE outbox_v5 (
        id INTEGER PRIMARY KEY,
        owner TEXT NOT NULL,
        owner_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        recipient TEXT NOT NULL,
        reseau TEXT,
        message_id TEXT NOT NULL UNIQUE,
        message BLOB,
        cle TEXT,
        forget INTEGER NOT NULL DEFAULT 0,
        after_kind TEXT,
        status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt REAL NOT NULL,
        lease_until REAL,
        lease_owner TEXT,
        last_error TEXT,
        created REAL NOT NULL,
        sent REAL
    );
    INSERT INTO outbox_v5 (id, owner, owner_id, kind, recipient, reseau, message_id, message,
        cle, forget, after_kind, status, attempts, next_attempt, lease_until, lease_owner,
        last_error, created, sent)
        SELECT id,
        CASE WHEN request_id IS NOT NULL THEN 'demande'
            WHEN signalement IS NOT NULL THEN 'signalement' ELSE 'alerte' END,
        coalesce(request_id, signalement, alert),
        kind, recipient, reseau, message_id, message, cle,
        CASE WHEN kind LIKE 'dossier-%' OR kind = 'signalement' OR alert IS NOT NULL
            THEN 1 ELSE 0 END,
        CASE WHEN kind = 'accuse' THEN 'reseau' ELSE NULL END,
        status, attempts, next_attempt, lease_until, lease_owner, last_error, created, sent
        FROM outbox;
    DROP TABLE outbox;
    ALTER TABLE outbox_v5 RENAME TO outbox;
    CREATE INDEX outbox_due ON outbox (status, next_attempt);
    CREATE INDEX outbox_owner ON outbox (owner, owner_id, kind);
    """,
    # 10: each recipient of a dossier holds the needs it was chosen for or given (JSON list,
    # NULL: every need of the dossier, as rows stored before it hold).
    """
    ALTER TABLE recipients ADD COLUMN besoins TEXT
    """,
    # 11: deadline reminders (form_service/alerts/reminders.py): one row per subscription and
    # deadline reminded, so each is mailed once whatever the runs and processes. Erased with
    # its subscription.
    """
    CREATE TABLE alert_reminders (
        subscription TEXT NOT NULL REFERENCES alert_subscriptions (id) ON DELETE CASCADE,
        slug TEXT NOT NULL,
        cloture TEXT NOT NULL,           -- the deadline reminded, YYYY-MM-DD
        created REAL NOT NULL,
        PRIMARY KEY (subscription, slug, cloture)
    );
    """,
    # 12: proposed aids (« Proposer une aide »): the ready-to-commit file, and the proposer's
    # address until the retention period (then NULL, `purged` set).
    """
    CREATE TABLE propositions (
        id TEXT PRIMARY KEY,
        created REAL NOT NULL,
        slug TEXT NOT NULL,
        titre TEXT NOT NULL,
        fichier TEXT NOT NULL,
        email TEXT,
        imported REAL,
        purged REAL
    );
    CREATE INDEX propositions_created ON propositions (created);
    """,
]
