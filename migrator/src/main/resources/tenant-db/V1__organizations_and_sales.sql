-- The tenant database of one customer. Run by the migrator as the owner role; the app connects as
-- ${app_role}, which is bound by the Row-Level Security policies below.

-- The app's role: no superuser, no BYPASSRLS, owns nothing. Its password is set by the migrator
-- after the migration, from the customer's sealed secrets.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${app_role}') THEN
        CREATE ROLE "${app_role}" LOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT NOCREATEDB NOCREATEROLE;
    END IF;
END
$$;
ALTER ROLE "${app_role}" LOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT NOCREATEDB NOCREATEROLE;

REVOKE ALL ON DATABASE "${database}" FROM PUBLIC;
GRANT CONNECT ON DATABASE "${database}" TO "${app_role}";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO "${app_role}";

-- The organization the current transaction acts for, set by the app with
-- set_config('app.current_org', <id>, true). An unset or reset setting reads as '' once a
-- transaction in the session has set it, hence the NULLIF: no organization, no rows.
CREATE FUNCTION current_org() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$ SELECT NULLIF(current_setting('app.current_org', true), '')::uuid $$;

CREATE TABLE organizations (
    id          UUID        PRIMARY KEY DEFAULT gen_random_uuid(),
    name        TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    slug        TEXT        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    description TEXT,
    logo_url    TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id              UUID        PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id UUID        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    email           TEXT        NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
    full_name       TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (organization_id, email)
);

CREATE TABLE contacts (
    id              UUID        PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id UUID        NOT NULL DEFAULT current_org() REFERENCES organizations (id) ON DELETE CASCADE,
    name            TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email           TEXT,
    company         TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Target of the deals' foreign key, which must name the organization too (below).
    UNIQUE (organization_id, id)
);
CREATE INDEX contacts_organization ON contacts (organization_id);

CREATE TABLE deals (
    id              UUID          PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id UUID          NOT NULL DEFAULT current_org() REFERENCES organizations (id) ON DELETE CASCADE,
    -- Foreign keys are checked without Row-Level Security, so the key includes the organization:
    -- a deal can only point at a contact of its own organization.
    contact_id      UUID,
    title           TEXT          NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    amount          NUMERIC(14,2) NOT NULL DEFAULT 0 CHECK (amount >= 0),
    stage           TEXT          NOT NULL DEFAULT 'lead'
                                  CHECK (stage IN ('lead', 'qualified', 'proposal', 'won', 'lost')),
    created_at      TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ   NOT NULL DEFAULT now(),
    FOREIGN KEY (organization_id, contact_id) REFERENCES contacts (organization_id, id)
        ON DELETE SET NULL (contact_id)
);
CREATE INDEX deals_organization ON deals (organization_id);

-- Background jobs run by the worker; the queue itself lives in Redis, the outcome here.
CREATE TABLE jobs (
    id              UUID        PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id UUID        NOT NULL DEFAULT current_org() REFERENCES organizations (id) ON DELETE CASCADE,
    kind            TEXT        NOT NULL CHECK (kind ~ '^[a-z][a-z0-9-]{0,62}$'),
    status          TEXT        NOT NULL DEFAULT 'queued'
                                CHECK (status IN ('queued', 'running', 'done', 'failed')),
    attempts        INTEGER     NOT NULL DEFAULT 0,
    result          JSONB,
    error           TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX jobs_organization ON jobs (organization_id);

-- FORCE: even the table owner is bound (the image's owner is a superuser and bypasses RLS anyway,
-- but a non-superuser owner would not).
ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organizations FORCE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON organizations
    USING (id = current_org()) WITH CHECK (id = current_org());

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON users
    USING (organization_id = current_org()) WITH CHECK (organization_id = current_org());

ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE contacts FORCE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON contacts
    USING (organization_id = current_org()) WITH CHECK (organization_id = current_org());

ALTER TABLE deals ENABLE ROW LEVEL SECURITY;
ALTER TABLE deals FORCE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON deals
    USING (organization_id = current_org()) WITH CHECK (organization_id = current_org());

ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON jobs
    USING (organization_id = current_org()) WITH CHECK (organization_id = current_org());

-- Only what the app does: read its organization, manage sales data and jobs.
GRANT EXECUTE ON FUNCTION current_org() TO "${app_role}";
GRANT SELECT, UPDATE (name, description, logo_url, updated_at) ON organizations TO "${app_role}";
GRANT SELECT, INSERT, UPDATE, DELETE ON users, contacts, deals, jobs TO "${app_role}";

INSERT INTO organizations (name, slug, description)
VALUES ('Default Organization', 'customer-default', 'Created when the customer was provisioned')
ON CONFLICT (slug) DO NOTHING;
