-- Analysts' corrections: an overlay on what the machine extracted and linked, never an
-- overwrite (sitrep.review applies them when the incidents are reconciled). Each row is one
-- change, kept for ever in the order it was made (seq): the later of two corrections of one
-- field wins, and the earlier stays in the history.
--
-- A correction names its incident by what survives re-extraction and re-linking: the member
-- keys of the incident ('<article content hash>:<position in the article>'), never a row id.
-- hashes: the article hashes among them, '|'-wrapped, so that the articles a correction
-- touches can be found by substring. uid: the correction's identity across databases
-- (`sitrep corrections import` skips one it already holds).
CREATE TABLE corrections (
    seq {pk},
    uid TEXT NOT NULL UNIQUE,
    action TEXT NOT NULL,
    field TEXT,
    target TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    note TEXT,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    hashes TEXT NOT NULL
);

-- The review status of each reconciled incident in the index ('unreviewed', 'reviewed',
-- 'corrected'), for the list's filter.
ALTER TABLE reconciled ADD COLUMN review_status TEXT NOT NULL DEFAULT 'unreviewed';
CREATE INDEX reconciled_review_status ON reconciled (review_status);
