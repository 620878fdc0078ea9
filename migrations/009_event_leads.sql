-- A lead raised from an event attendee (issue 5: "leads created from
-- attendees") becomes an opportunity at stage 1 on the attendee's account,
-- next to its follow-up task; the invitation remembers which one.
ALTER TABLE event_invitations ADD COLUMN lead_opportunity_id BIGINT REFERENCES opportunities(id);
