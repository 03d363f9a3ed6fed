-- The organisations funding a package (the award's funding shares): of the partnership's
-- commissioners, only they see its named workers. Empty (a direct payment with no
-- shares, or a package from before this column): every commissioner of the partnership.
ALTER TABLE workforce.packages ADD COLUMN funder_ids uuid[] NOT NULL DEFAULT '{}';
