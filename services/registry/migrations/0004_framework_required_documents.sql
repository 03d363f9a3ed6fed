-- The compliance documents a framework requires every eligible provider to hold in date
-- (registry.proto Framework.required_documents): a provider that never filed its CQC
-- registration was eligible, because only expired documents excluded one.
ALTER TABLE registry.frameworks ADD COLUMN required_documents text[] NOT NULL DEFAULT '{}';
