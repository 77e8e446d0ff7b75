-- What lets the index be updated where the store changed instead of rebuilt
-- (sitrep.incident_index.update): each reconciled incident's grouping (its members and wire
-- groups, as JSON), so that a relink or a replaced article re-reconciles only the incidents
-- whose grouping changed; and what each incident gives each outlet's statistics, so that
-- those of the outlets it touches are summed again in SQL without reading every incident.
-- The index is marked unbuilt: the next refresh rebuilds it, filling both.
ALTER TABLE reconciled ADD COLUMN grouping TEXT NOT NULL DEFAULT '';

-- member: the outlet has an article among the incident's members (its partners are the
-- other member outlets); figures/agreeing: its current killed figures compared with the
-- incident's reconciled figure, and how many agree; disagrees: one at least does not.
CREATE TABLE reconciled_outlets (
    incident_id BIGINT NOT NULL REFERENCES reconciled (id) ON DELETE CASCADE,
    outlet TEXT NOT NULL,
    member BOOLEAN NOT NULL,
    figures INTEGER NOT NULL,
    agreeing INTEGER NOT NULL,
    disagrees BOOLEAN NOT NULL
);
CREATE INDEX reconciled_outlets_outlet ON reconciled_outlets (outlet, incident_id);
CREATE INDEX reconciled_outlets_incident ON reconciled_outlets (incident_id);

DELETE FROM meta WHERE key = 'index_version';
