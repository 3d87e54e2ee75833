package dev.tenantplane.gateway;

import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.ServiceSmokeContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
class ApiGatewayStartsIT extends ServiceSmokeContract {}
