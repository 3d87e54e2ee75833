-- The subnet of the customer's Docker network, from the platform's pool
-- (tenantplane.provisioner.network.pool), chosen with the ports and written in the same
-- transaction. Deleting the row returns it to the pool. NULL for a row written before subnets
-- were recorded: the pool is a setting this script cannot read, so such a customer gets its
-- subnet the next time its stack is started or resumed.
ALTER TABLE allocation ADD COLUMN subnet TEXT UNIQUE;

-- Never two overlapping, also after the subnet size setting changed: the unique constraint alone
-- would let a /27 and a /28 inside it coexist. The cast also refuses a value that is not a
-- network address.
ALTER TABLE allocation
    ADD CONSTRAINT allocation_subnet_no_overlap
    EXCLUDE USING gist ((CAST(subnet AS cidr)) inet_ops WITH &&);
