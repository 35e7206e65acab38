-- Warehouse schema. Names of tables and of the columns listed in docs/data-contract.md are a
-- contract: other tools query them. Add, never rename.

CREATE TABLE IF NOT EXISTS units (
    unit_id       VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL CHECK (kind IN ('commune', 'department', 'service_unit', 'association')),
    valid_from    DATE,
    valid_to      DATE,
    successor_id  VARCHAR,
    level         VARCHAR CHECK (level IN ('province', 'district', 'commune'))
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

-- Facts about a unit kept as data (data/reference/unit_notes.csv): e.g. a successor formed partly
-- from units outside this warehouse, which every table showing it must say (docs/map.md).
CREATE TABLE IF NOT EXISTS unit_notes (
    unit_id       VARCHAR NOT NULL,
    partial_note  VARCHAR
);

CREATE TABLE IF NOT EXISTS classification_bands (
    valid_from     DATE NOT NULL,
    valid_to       DATE,
    classification VARCHAR NOT NULL,
    label          VARCHAR NOT NULL,
    min_score      DOUBLE NOT NULL,
    legal_basis    VARCHAR           -- the law the bands were set under ("Nghị định 335/2025/NĐ-CP")
);

-- Caps on year-end ratings of officials, with the years they govern (data/reference/rating_rules.csv).
CREATE TABLE IF NOT EXISTS rating_rules (
    valid_from   DATE NOT NULL,
    valid_to     DATE,
    rule         VARCHAR NOT NULL,   -- 'xuat_sac_of_tot': xuat_sac <= max_ratio * tot
    max_ratio    DOUBLE NOT NULL,
    enforced     BOOLEAN NOT NULL,   -- FALSE: the ratio is shown for reference, never flagged
    legal_basis  VARCHAR NOT NULL,
    note         VARCHAR
);

CREATE TABLE IF NOT EXISTS dossiers (
    -- unique, kept so by the load (etl/sources/dossiers.py write: update the known ids, insert the
    -- others) rather than by a PRIMARY KEY index, which cost ~0.9 s of CPU per million rows loaded
    dossier_id        VARCHAR NOT NULL,
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
    general_points        DOUBLE,           -- ND 335/2025 (from 2026): general criteria, 0–30; NULL before
    task_points           DOUBLE,           -- ND 335/2025: task results, 0–70; NULL before
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

-- Citizens' satisfaction surveys: one row per unit and month.
CREATE TABLE IF NOT EXISTS surveys (
    unit_id         VARCHAR NOT NULL,
    month           DATE NOT NULL,      -- first day of the month
    responses       INTEGER NOT NULL CHECK (responses >= 0),
    very_satisfied  INTEGER NOT NULL CHECK (very_satisfied >= 0),
    satisfied       INTEGER NOT NULL CHECK (satisfied >= 0),
    neutral         INTEGER NOT NULL CHECK (neutral >= 0),
    dissatisfied    INTEGER NOT NULL CHECK (dissatisfied >= 0),
    batch_id        BIGINT NOT NULL,
    PRIMARY KEY (unit_id, month)
);

-- Surprise inspections of working hours and conduct: one row per visit.
CREATE TABLE IF NOT EXISTS inspections (
    inspected_on    DATE NOT NULL,
    unit_id         VARCHAR NOT NULL,
    checked         INTEGER NOT NULL CHECK (checked >= 0),
    late_or_absent  INTEGER NOT NULL CHECK (late_or_absent >= 0),
    dress           INTEGER NOT NULL CHECK (dress >= 0),
    conduct         INTEGER NOT NULL CHECK (conduct >= 0),
    workplace       INTEGER NOT NULL CHECK (workplace >= 0),
    note            VARCHAR,
    batch_id        BIGINT NOT NULL,
    PRIMARY KEY (inspected_on, unit_id)
);

-- Officials' year-end classification counts per unit (no names).
CREATE TABLE IF NOT EXISTS staff_ratings (
    unit_id           VARCHAR NOT NULL,
    year              INTEGER NOT NULL,
    headcount         INTEGER NOT NULL CHECK (headcount >= 0),
    xuat_sac          INTEGER NOT NULL CHECK (xuat_sac >= 0),
    tot               INTEGER NOT NULL CHECK (tot >= 0),
    hoan_thanh        INTEGER NOT NULL CHECK (hoan_thanh >= 0),
    khong_hoan_thanh  INTEGER NOT NULL CHECK (khong_hoan_thanh >= 0),
    batch_id          BIGINT NOT NULL,
    PRIMARY KEY (unit_id, year)
);

-- Commendations (khen thưởng): one row per recipient of a decision.
CREATE TABLE IF NOT EXISTS commendations (
    decision_no     VARCHAR NOT NULL,
    decided_on      DATE NOT NULL,
    level           VARCHAR NOT NULL,   -- who decided: "UBND huyện", "UBND tỉnh", ...
    form            VARCHAR NOT NULL,   -- "Giấy khen", "Bằng khen", "Lao động tiên tiến", ...
    recipient_kind  VARCHAR NOT NULL CHECK (recipient_kind IN ('collective', 'individual')),
    recipient_name  VARCHAR NOT NULL,
    unit_id         VARCHAR NOT NULL,
    batch_id        BIGINT NOT NULL,
    PRIMARY KEY (decision_no, recipient_name, unit_id)
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

-- Columns added after the first release: a warehouse built before them gains them on its next load.
ALTER TABLE evaluations ADD COLUMN IF NOT EXISTS general_points DOUBLE;
ALTER TABLE evaluations ADD COLUMN IF NOT EXISTS task_points DOUBLE;
ALTER TABLE classification_bands ADD COLUMN IF NOT EXISTS legal_basis VARCHAR;
ALTER TABLE units ADD COLUMN IF NOT EXISTS level VARCHAR;
