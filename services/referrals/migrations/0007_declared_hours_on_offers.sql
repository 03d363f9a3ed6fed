-- What a provider declared it could take on when the round opened (its latest capacity
-- return's hours per week, from the registry's eligibility answer), kept with the
-- candidate and copied onto each offer with whether it falls short of the referral's
-- planned weekly hours (docs/decisions/0064). Eligibility still counts any hours as
-- "with capacity" (decision 6): the shortfall is shown, not excluded. Offers made before
-- this have no figure (NULL) and are not marked short.
ALTER TABLE referrals.candidates ADD COLUMN weekly_hours_available integer;
ALTER TABLE referrals.offers
  ADD COLUMN declared_weekly_hours_available integer,
  ADD COLUMN below_planned_hours boolean NOT NULL DEFAULT false;
