-- When an offer was closed without (or after) the provider's answer: WITHDRAWN,
-- NOT_SELECTED or SELECTED (kCloseOffer). The brokerage return needs it to judge an offer
-- the provider left unanswered until it was withdrawn (decision 67): withdrawn after a
-- KPI's threshold had passed, it counts as measured and missed. Offers closed before this
-- have no time (NULL) and stay out of the KPIs, as they were.
ALTER TABLE referrals.offers ADD COLUMN close_time timestamptz;
