-- referral.status.v1 finds the student's risk case by the referral it belongs to (or by the request that raised it).
-- Without these, every status event scanned all risk cases of every campaign (a city has tens of thousands).
create index risk_case_referral on risk_case (referral_id) where referral_id is not null;
create index risk_case_referral_request on risk_case (referral_request_id) where referral_request_id is not null;
