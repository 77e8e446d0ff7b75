-- The links that held a replaced article's incidents when it was replaced (their ids,
-- space-separated), logged with it: deleting the incidents takes their member rows along,
-- and without this a relink would count every link's members to find the links left short
-- of one (sitrep.link.incremental). NULL: a row logged before this column (counted so).
ALTER TABLE link_state_replaced ADD COLUMN links TEXT;
