-- Warehouse schema. Names of tables and of the columns listed in docs/data-contract.md are a
-- contract: other tools query them. Add, never rename.

CREATE TABLE IF NOT EXISTS units (
    unit_id       VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL CHECK (kind IN ('commune', 'department', 'service_unit', 'association')),
    valid_from    DATE,
    valid_to      DATE,
    successor_id  VARCHAR
);

-- Every spelling an export may use for a unit, normalised (lower case, no diacritics, no "UBND").
CREATE TABLE IF NOT EXISTS unit_aliases (
    alias_norm    VARCHAR NOT NULL,
    unit_id       VARCHAR NOT NULL
);

-- (unit_id, rollup_id): unit_id's data counts toward rollup_id. One row (u, u) per unit, plus
-- (old, new) for every successor reachable from old. A filter on a post-2025 commune therefore
-- includes the history of the communes merged into it.
CREATE TABLE IF NOT EXISTS unit_lineage (
    unit_id       VARCHAR NOT NULL,
    rollup_id     VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS classification_bands (
    valid_from     DATE NOT NULL,
    valid_to       DATE,
    classification VARCHAR NOT NULL,
    label          VARCHAR NOT NULL,
    min_score      DOUBLE NOT NULL
);

CREATE TABLE IF NOT EXISTS dossiers (
    dossier_id        VARCHAR PRIMARY KEY,
    unit_id           VARCHAR NOT NULL,
    field             VARCHAR NOT NULL,
    procedure_name    VARCHAR NOT NULL,
    channel           VARCHAR NOT NULL CHECK (channel IN ('online', 'in_person', 'postal')),
    received_at       TIMESTAMP NOT NULL,
    due_at            TIMESTAMP NOT NULL,   -- a due date given without a time is stored as 23:59:59 of that day
    finished_at       TIMESTAMP,            -- NULL while pending
    apology_issued    BOOLEAN NOT NULL,
    batch_id          BIGINT NOT NULL,
    finished_has_time BOOLEAN,              -- FALSE: the export gave a date only; compared by day
    outcome           VARCHAR CHECK (outcome IN ('early', 'on_time', 'late'))  -- NULL while pending
);

CREATE TABLE IF NOT EXISTS evaluations (
    unit_id               VARCHAR NOT NULL,
    period_type           VARCHAR NOT NULL CHECK (period_type IN ('month', 'quarter', 'year')),
    period_start          DATE NOT NULL,
    score                 DOUBLE,
    classification        VARCHAR NOT NULL CHECK (classification IN ('xuat_sac', 'tot', 'hoan_thanh', 'khong_hoan_thanh')),
    batch_id              BIGINT NOT NULL,
    classification_source VARCHAR NOT NULL CHECK (classification_source IN ('given', 'bands')),
    band_classification   VARCHAR,          -- what the bands in force say for the score
    band_conflict         BOOLEAN NOT NULL, -- TRUE: the sheet's classification contradicts the bands
    PRIMARY KEY (unit_id, period_type, period_start)
);

CREATE TABLE IF NOT EXISTS evaluation_criteria (
    unit_id       VARCHAR NOT NULL,
    period_type   VARCHAR NOT NULL,
    period_start  DATE NOT NULL,
    criterion     VARCHAR NOT NULL,  -- the column heading as the sheet gave it
    score         DOUBLE,
    batch_id      BIGINT NOT NULL,
    PRIMARY KEY (unit_id, period_type, period_start, criterion)
);

CREATE TABLE IF NOT EXISTS commitments (
    unit_id      VARCHAR NOT NULL,
    year         INTEGER NOT NULL,
    commitment   VARCHAR NOT NULL CHECK (commitment IN ('office_culture', 'smoke_free', 'hcm_study')),
    headcount    INTEGER NOT NULL CHECK (headcount >= 0),
    signed       INTEGER NOT NULL CHECK (signed >= 0 AND signed <= headcount),
    batch_id     BIGINT NOT NULL,
    PRIMARY KEY (unit_id, year, commitment)
);

CREATE TABLE IF NOT EXISTS load_batches (
    batch_id      BIGINT PRIMARY KEY,
    file_name     VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,
    loaded_at     TIMESTAMP NOT NULL,
    rows_read     INTEGER NOT NULL,
    rows_loaded   INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    status        VARCHAR NOT NULL,
    loaded_by     VARCHAR,
    duplicate_ids INTEGER NOT NULL DEFAULT 0,
    period_from   DATE,
    period_to     DATE
);

CREATE TABLE IF NOT EXISTS load_rejects (
    batch_id     BIGINT NOT NULL,
    row_number   INTEGER NOT NULL,
    column_name  VARCHAR,
    reason       VARCHAR NOT NULL,
    raw          VARCHAR
);

-- Facts about the warehouse as a whole: is_demo, data_version, ...
CREATE TABLE IF NOT EXISTS meta (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR
);
