package dev.tenantplane.nginx;

import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.ServiceSmokeContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
@QuarkusTestResource(NginxTestResource.class)
class NginxConfigurerStartsIT extends ServiceSmokeContract {}
