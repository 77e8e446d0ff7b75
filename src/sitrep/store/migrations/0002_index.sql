-- The reconciled-incident index: what reconciliation (sitrep.reconcile) makes of the stored
-- incidents and links, materialised so that the HTTP API can filter, sort and page in SQL
-- instead of reconciling everything per request. Derived data, replaced as a whole by
-- Store.save_index; meta 'index_version' says which state of the store it was built from
-- (Store.fingerprint), so a reader can tell when it is stale.

-- One row per reconciled incident: the columns the filters and sorts read, nothing large,
-- so that a scan reads few pages. admin1_key: admin1 lower-cased (a case-insensitive filter
-- through an index); country: ISO alpha-2, upper-cased. The perpetrators and the place names
-- are matched by substring, which no index serves; but few distinct values repeat over many
-- rows, so each row points to its value in a small table (reconciled_actors,
-- reconciled_places), a filter tests the small table, and the rows are found by index.
CREATE TABLE reconciled (
    id {pk},
    event_type TEXT NOT NULL,
    date TEXT,
    date_end TEXT,
    date_precision TEXT NOT NULL,
    place TEXT,
    admin1 TEXT,
    admin1_key TEXT,
    country TEXT,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    perpetrator TEXT NOT NULL,
    actors_id BIGINT NOT NULL,
    places_id BIGINT NOT NULL,
    killed BIGINT,
    injured BIGINT,
    number_of_sources INTEGER NOT NULL,
    n_reports INTEGER NOT NULL,
    disputed BOOLEAN NOT NULL,
    flags TEXT NOT NULL
);
-- On date with what the timeline (day, count, killed) and the commonest filters read, so
-- that a timeline of all rows, or of a filter that keeps many, reads the index alone.
CREATE INDEX reconciled_date ON reconciled (date, killed, places_id, actors_id, disputed);
CREATE INDEX reconciled_country_date ON reconciled (country, date);
CREATE INDEX reconciled_admin1 ON reconciled (admin1_key);
CREATE INDEX reconciled_event_type ON reconciled (event_type);
CREATE INDEX reconciled_killed ON reconciled (killed);
CREATE INDEX reconciled_disputed ON reconciled (disputed);
CREATE INDEX reconciled_actors_id ON reconciled (actors_id);
CREATE INDEX reconciled_places_id ON reconciled (places_id);

-- actors: '|'-wrapped lower-cased perpetrator names ('|islamic state|unknown|');
-- place_keys: '|'-wrapped place/admin1/country names lower-cased, their spelling keys
-- upper-cased and the country code (see sitrep.incident_index). Each distinct value once,
-- with n, the rows that have it (how selective a filter is).
CREATE TABLE reconciled_actors (
    id BIGINT PRIMARY KEY,
    actors TEXT NOT NULL,
    n BIGINT NOT NULL
);
CREATE TABLE reconciled_places (
    id BIGINT PRIMARY KEY,
    place_keys TEXT NOT NULL,
    n BIGINT NOT NULL
);

-- The JSON of each reconciled incident, apart from the row above because it is large (the
-- payload holds every claim): SQLite keeps a row's bytes in its table pages, and a scan of
-- the filter columns would otherwise read all of it. summary: the list item the API returns
-- (sitrep.incident_index.summary); payload: ReconciledIncident.to_dict().
CREATE TABLE reconciled_docs (
    id BIGINT PRIMARY KEY,
    summary TEXT NOT NULL,
    payload TEXT NOT NULL
);

-- Which stored incidents (and their articles) each reconciled incident is made of.
CREATE TABLE reconciled_members (
    incident_id BIGINT NOT NULL,
    article_pk BIGINT NOT NULL,
    incident_pk BIGINT NOT NULL
);
CREATE INDEX reconciled_members_article ON reconciled_members (article_pk);
CREATE INDEX reconciled_members_incident ON reconciled_members (incident_id);

-- Per outlet: how its reports compare with the reconciled figures (see sitrep.incident_index).
CREATE TABLE outlet_stats (
    outlet TEXT PRIMARY KEY,
    articles BIGINT NOT NULL,
    figures BIGINT NOT NULL,
    agreeing BIGINT NOT NULL,
    wire_copies BIGINT NOT NULL,
    detail TEXT NOT NULL
);

-- Small facts about the store: 'index_version', 'links_saved_at', 'facets', 'index_max_span'.
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
