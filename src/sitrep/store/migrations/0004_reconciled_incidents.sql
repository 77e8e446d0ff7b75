-- The reconciled incidents as a reader of the database meets them: a view named for what
-- it holds (one row per real-world act, what `sitrep incidents` lists), and foreign keys
-- from the index's rows to the rows they refer to. SQLite cannot add a foreign key to a
-- table, so the index tables of 0002 are made again; they hold derived data only, and the
-- index is marked unbuilt (the next `sitrep link`, `sitrep ingest` or `sitrep serve`
-- builds it). Columns and indexes as in 0002, which explains them, and 0003 (ACLED's
-- sub-event type).
DROP TABLE reconciled_members;
DROP TABLE reconciled_docs;
DROP TABLE reconciled;
DROP TABLE reconciled_actors;
DROP TABLE reconciled_places;
DELETE FROM outlet_stats;
DELETE FROM meta WHERE key IN ('index_version', 'facets', 'index_max_span');

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
    actors_id BIGINT NOT NULL REFERENCES reconciled_actors (id),
    places_id BIGINT NOT NULL REFERENCES reconciled_places (id),
    killed BIGINT,
    injured BIGINT,
    number_of_sources INTEGER NOT NULL,
    n_reports INTEGER NOT NULL,
    disputed BOOLEAN NOT NULL,
    flags TEXT NOT NULL,
    sub_event_type TEXT
);
CREATE INDEX reconciled_date ON reconciled (date, killed, places_id, actors_id, disputed);
CREATE INDEX reconciled_country_date ON reconciled (country, date);
CREATE INDEX reconciled_admin1 ON reconciled (admin1_key);
CREATE INDEX reconciled_sub_event_type ON reconciled (sub_event_type);
CREATE INDEX reconciled_event_type ON reconciled (event_type);
CREATE INDEX reconciled_killed ON reconciled (killed);
CREATE INDEX reconciled_disputed ON reconciled (disputed);
CREATE INDEX reconciled_actors_id ON reconciled (actors_id);
CREATE INDEX reconciled_places_id ON reconciled (places_id);

CREATE TABLE reconciled_docs (
    id BIGINT PRIMARY KEY REFERENCES reconciled (id) ON DELETE CASCADE,
    summary TEXT NOT NULL,
    payload TEXT NOT NULL
);

-- A stored incident or article that goes (an article replaced by a newer extractor) takes
-- its member rows along; the index is then stale by the store's fingerprint and rebuilt.
CREATE TABLE reconciled_members (
    incident_id BIGINT NOT NULL REFERENCES reconciled (id) ON DELETE CASCADE,
    article_pk BIGINT NOT NULL REFERENCES articles (pk) ON DELETE CASCADE,
    incident_pk BIGINT NOT NULL REFERENCES incidents (pk) ON DELETE CASCADE
);
CREATE INDEX reconciled_members_article ON reconciled_members (article_pk);
CREATE INDEX reconciled_members_incident ON reconciled_members (incident_id);
-- what a deleted stored incident's cascade looks up
CREATE INDEX reconciled_members_incident_pk ON reconciled_members (incident_pk);

-- What `sitrep incidents` lists, one row per reconciled incident; record: the incident in
-- full as JSON (what `sitrep incidents --format json` gives for it). The table `incidents`
-- holds what each article reports, before linking and reconciling.
CREATE VIEW reconciled_incidents AS
SELECT r.id, r.event_type, r.date, r.date_end, r.date_precision, r.place, r.admin1, r.country,
       r.lat, r.lon, r.perpetrator, r.killed, r.injured, r.number_of_sources, r.n_reports,
       r.disputed, r.flags, r.sub_event_type, d.payload AS record
FROM reconciled r JOIN reconciled_docs d ON d.id = r.id;
