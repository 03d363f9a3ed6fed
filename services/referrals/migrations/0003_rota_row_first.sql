-- A lot's rota row is created before it is locked (INSERT ... ON CONFLICT DO NOTHING,
-- then SELECT ... FOR UPDATE), so two rounds opening at once on a lot that never had one
-- queue on the same row instead of both starting from the same provider. The new row
-- has had nobody first yet.
ALTER TABLE referrals.rotas ALTER COLUMN last_provider_id DROP NOT NULL;
