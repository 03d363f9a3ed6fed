-- An access-log row is written in the reader's own name: the user as well as the
-- organisation must be the acting one (transaction-local pdps.user_id), so the app role
-- cannot append a row in another user's name (security review).
DROP POLICY append_own ON referrals.person_access_log;
CREATE POLICY append_own ON referrals.person_access_log FOR INSERT
  WITH CHECK (organisation_id = referrals.current_org()
              AND user_id = current_setting('pdps.user_id', true)
              AND (EXISTS (SELECT 1 FROM referrals.partnership_members m
                           WHERE m.partnership_id = person_access_log.partnership_id
                             AND m.organisation_id = referrals.current_org())
                   OR EXISTS (SELECT 1 FROM referrals.referrals r
                              WHERE r.id = person_access_log.referral_id
                                AND r.state = 'AWARDED'
                                AND r.award_provider_id = referrals.current_org())));
