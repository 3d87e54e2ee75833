package dev.tenantplane.kit;

import dev.tenantplane.common.kafka.EventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The event codec of this service, with the service's name as CloudEvents source. */
public class ServiceCodec {

  @Produces
  @ApplicationScoped
  EventCodec eventCodec(@ConfigProperty(name = "quarkus.application.name") String service) {
    return new EventCodec("/tenantplane/" + service);
  }
}
