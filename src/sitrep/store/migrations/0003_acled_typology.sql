-- ACLED's coding of each stored incident beside sitrep's event_type (spec "ACLED typology"):
-- ACLED's exact spellings. Rows stored before this migration have none; reconciliation
-- codes them from their event type, actors and figures (knowledge/event_types.py). The
-- reconciled-incident index gets the reconciled sub-event type, which the filter of that
-- name reads.
ALTER TABLE incidents ADD COLUMN disorder_type TEXT;
ALTER TABLE incidents ADD COLUMN acled_event_type TEXT;
ALTER TABLE incidents ADD COLUMN sub_event_type TEXT;
ALTER TABLE reconciled ADD COLUMN sub_event_type TEXT;
CREATE INDEX reconciled_sub_event_type ON reconciled (sub_event_type);
