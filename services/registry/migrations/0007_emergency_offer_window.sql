-- CallOffSettings.emergency_offer_window_minutes (registry.proto, decision 58): how long
-- an EMERGENCY referral's offers stay open, in clock minutes. Frameworks written before
-- it have no value in call_off; they get the default, 60, so every framework reads back
-- what it applies. The version is left alone: no commissioner changed anything, and
-- their etags stay valid. Safe to run again: only frameworks without the key change.
UPDATE registry.frameworks
   SET call_off = call_off || '{"emergency_offer_window_minutes": 60}'::jsonb
 WHERE NOT call_off ? 'emergency_offer_window_minutes';
