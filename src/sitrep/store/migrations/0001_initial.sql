-- The first schema: articles and what the extractor found in them, links, reference
-- records and verifications. Portable SQL: {pk} is the dialect's auto-incremented key;
-- booleans are BOOLEAN (SQLite stores 0/1); dates are ISO text (YYYY-MM-DD), which sorts.

-- An article is identified by the sha256 of its normalised text (content_hash): the same
-- text read again from any file is the same article; two inputs that share an id with
-- different texts (FA-KES rows) are two articles. Its pk never changes, not even when a
-- newer extractor replaces its records.
CREATE TABLE articles (
    pk {pk},
    content_hash TEXT NOT NULL UNIQUE,
    article_id TEXT NOT NULL,
    title TEXT,
    text TEXT NOT NULL,
    published TEXT,
    published_from TEXT,
    outlet TEXT,
    source TEXT,
    extractor_version TEXT NOT NULL,
    summary_date TEXT,
    summary_location TEXT NOT NULL,
    summary_actor TEXT NOT NULL,
    summary_cause_of_death TEXT NOT NULL,
    nb_civilians BIGINT NOT NULL,
    nb_children BIGINT NOT NULL,
    nb_women BIGINT NOT NULL,
    nb_noncivilians BIGINT NOT NULL,
    n_incidents INTEGER NOT NULL,
    stored_at TEXT NOT NULL
);
CREATE INDEX articles_article_id ON articles (article_id);
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_outlet ON articles (outlet);

-- One row per incident of an article's record, in the record's order (position).
-- killed_low/best/high and injured_best sum up the claims' totals as `sitrep extract
-- --format csv` does (least low, least best, greatest high): a numeric column to filter on;
-- the claims keep every figure.
CREATE TABLE incidents (
    pk {pk},
    article_pk BIGINT NOT NULL REFERENCES articles (pk) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    event_type TEXT NOT NULL,
    date TEXT,
    date_end TEXT,
    date_precision TEXT NOT NULL,
    place TEXT NOT NULL,
    admin1 TEXT,
    country TEXT,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    place_precision TEXT NOT NULL,
    perpetrator TEXT NOT NULL,
    target TEXT,
    killed_low BIGINT,
    killed_best BIGINT,
    killed_high BIGINT,
    injured_best BIGINT,
    n_claims INTEGER NOT NULL,
    UNIQUE (article_pk, position)
);
CREATE INDEX incidents_date ON incidents (date);
CREATE INDEX incidents_admin1 ON incidents (admin1);
CREATE INDEX incidents_country_date ON incidents (country, date);
CREATE INDEX incidents_event_type ON incidents (event_type);
CREATE INDEX incidents_killed_best ON incidents (killed_best);

-- One row per claim, in the incident's order; the claim's own totals as numbers.
CREATE TABLE claims (
    pk {pk},
    incident_pk BIGINT NOT NULL REFERENCES incidents (pk) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    claimed_by TEXT NOT NULL,
    denial BOOLEAN NOT NULL,
    killed_low BIGINT,
    killed_best BIGINT,
    killed_high BIGINT,
    injured_low BIGINT,
    injured_best BIGINT,
    injured_high BIGINT,
    UNIQUE (incident_pk, position)
);
CREATE INDEX claims_claimed_by ON claims (claimed_by);
CREATE INDEX claims_killed_best ON claims (killed_best);

-- Every Count of a claim: kind is 'killed' or 'injured', category one of the spec's
-- victim categories; position keeps the record's order.
CREATE TABLE counts (
    claim_pk BIGINT NOT NULL REFERENCES claims (pk) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    category TEXT NOT NULL,
    position INTEGER NOT NULL,
    low BIGINT,
    best BIGINT,
    high BIGINT,
    text TEXT NOT NULL,
    PRIMARY KEY (claim_pk, kind, category)
);

-- The character spans a claim rests on, in order.
CREATE TABLE evidence (
    claim_pk BIGINT NOT NULL REFERENCES claims (pk) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (claim_pk, position)
);

-- Linked incidents (one real-world act reported by several articles), replaced as a whole
-- by each run of the linker.
CREATE TABLE links (
    id BIGINT PRIMARY KEY,
    n_members INTEGER NOT NULL
);
CREATE TABLE link_members (
    link_id BIGINT NOT NULL REFERENCES links (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    incident_pk BIGINT NOT NULL REFERENCES incidents (pk) ON DELETE CASCADE,
    PRIMARY KEY (link_id, position)
);
CREATE INDEX link_members_incident ON link_members (incident_pk);
CREATE TABLE wire_groups (
    link_id BIGINT NOT NULL REFERENCES links (id) ON DELETE CASCADE,
    group_no INTEGER NOT NULL,
    position INTEGER NOT NULL,
    article_pk BIGINT NOT NULL REFERENCES articles (pk) ON DELETE CASCADE,
    PRIMARY KEY (link_id, group_no, position)
);

-- Records of reference databases (ACLED, UCDP GED, VDC, ...), one per (source, ref_id).
CREATE TABLE reference (
    pk {pk},
    source TEXT NOT NULL,
    ref_id TEXT NOT NULL,
    date TEXT,
    date_end TEXT,
    country TEXT,
    admin1 TEXT,
    place TEXT,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    event_type TEXT,
    actor TEXT,
    killed_low BIGINT,
    killed_best BIGINT,
    killed_high BIGINT,
    civilians BIGINT,
    raw TEXT NOT NULL,
    UNIQUE (source, ref_id)
);
CREATE INDEX reference_date ON reference (date);
CREATE INDEX reference_source_date ON reference (source, date);
CREATE INDEX reference_country_date ON reference (country, date);

-- The verification of an article: one per article, replaced by each run.
CREATE TABLE verifications (
    article_pk BIGINT PRIMARY KEY REFERENCES articles (pk) ON DELETE CASCADE,
    article_id TEXT NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    reasons TEXT NOT NULL
);
CREATE INDEX verifications_score ON verifications (score);
