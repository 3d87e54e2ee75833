-- Tokens get an admin role, the only one that creates, lists and revokes tokens. The bootstrap
-- token was stored as an operator: it is the token named 'admin' that the gateway registered
-- itself (created_by 'bootstrap'; NULL before V104 recorded creators, when only the bootstrap
-- could have taken that name, as it is registered before any other token exists and names are
-- never reused). It becomes admin, revoked or not. Every other operator token stays an operator
-- and loses token management.
UPDATE api_token SET role = 'admin'
 WHERE name = 'admin'
   AND role = 'operator'
   AND (created_by = 'bootstrap' OR created_by IS NULL);
