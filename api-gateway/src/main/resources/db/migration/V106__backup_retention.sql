-- A backup outside its plan's retention is PRUNED once a newer one is written and verified: its
-- files are gone, its row stays so that nothing the platform made is left unlisted.
ALTER TABLE backup ADD COLUMN pruned_at TIMESTAMPTZ;
