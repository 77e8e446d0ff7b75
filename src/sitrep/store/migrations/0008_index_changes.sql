-- What the index must look at again since it was last brought up to date, so that an update
-- after a relink or a replaced article reads only that, not every link and grouping
-- (sitrep.store.changes, read by sitrep.incident_index.update). kind 0: a stored incident
-- whose grouping may have changed (members of links dropped or written, a replaced article's
-- incidents old and new); kind 1: an indexed incident (its id) that held a replaced article's
-- incidents, recorded before they went (their member rows go with them); kind 2: everything
-- (links saved whole): no update from here on reads this log, back to a full comparison.
-- seq only grows: the log keeps its last entry, and the store's fingerprint shows it, so an
-- index's version says up to where it has read.
CREATE TABLE index_changes (
    seq {pk},
    kind INTEGER NOT NULL,
    key BIGINT NOT NULL
);
