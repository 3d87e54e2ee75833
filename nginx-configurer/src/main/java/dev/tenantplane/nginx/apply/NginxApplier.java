package dev.tenantplane.nginx.apply;

import dev.tenantplane.nginx.NginxSettings;
import dev.tenantplane.nginx.render.RenderOptions;
import dev.tenantplane.nginx.render.RenderedConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Makes nginx serve a rendered configuration: skip if it already does; otherwise write it as a new
 * generation, {@code nginx -t} it, swap the live link, reload, and confirm through nginx that the
 * new version answers. Any failure after the swap restores the last good generation.
 */
@ApplicationScoped
public class NginxApplier {
  private static final Logger LOG = Logger.getLogger(NginxApplier.class);
  private static final Pattern PID = Pattern.compile("(?m)^\\s*pid\\s+[^;]+;");

  private final NginxContainer nginx;
  private final NginxSettings settings;
  private final RouteProbe probe;
  private final String defaultHost;
  private final Counter reloads;
  private final Counter rollbacks;
  private final Counter rejections;

  public NginxApplier(NginxContainer nginx, NginxSettings settings, MeterRegistry metrics) {
    this.nginx = nginx;
    this.settings = settings;
    RenderOptions options = RenderOptions.from(settings);
    this.probe = new RouteProbe(options.listenHost(), options.listenPort());
    this.defaultHost = options.baseDomain();
    this.reloads = metrics.counter("tenantplane.nginx.reloads");
    this.rollbacks = metrics.counter("tenantplane.nginx.rollbacks");
    this.rejections = metrics.counter("tenantplane.nginx.rejections");
  }

  /**
   * Applies {@code candidate}; {@code lastGood} is what nginx returns to if it fails.
   *
   * @param hostNames customer host names whose server blocks must answer the new version
   * @return whether nginx was reloaded (false: it already served the candidate)
   * @throws NginxRejectedException when {@code nginx -t} refuses the candidate; nothing changed
   * @throws NginxUnavailableException when nginx could not be driven or did not confirm the new
   *     version; the last good configuration was restored
   */
  public boolean apply(RenderedConfig candidate, RenderedConfig lastGood, List<String> hostNames)
      throws NginxRejectedException, NginxUnavailableException {
    if (probe.version(defaultHost).filter(candidate.version()::equals).isPresent()) {
      return false;
    }
    String generation = generation(candidate);
    String main = nginx.mainConfig();
    nginx.writeGeneration(generation, candidate, candidateMain(main, generation));
    try {
      nginx.testAndSwap(generation, generation(lastGood));
    } catch (NginxRejectedException e) {
      rejections.increment();
      throw e;
    }
    try {
      nginx.reload();
      reloads.increment();
      List<String> confirm = new ArrayList<>(hostNames);
      confirm.add(0, defaultHost);
      if (!probe.confirm(candidate.version(), confirm, settings.confirmTimeout())) {
        throw new NginxUnavailableException(
            "nginx did not serve configuration "
                + candidate.version()
                + " within "
                + settings.confirmTimeout());
      }
      return true;
    } catch (NginxUnavailableException e) {
      throw new NginxUnavailableException(e.getMessage() + "; " + rollBack(lastGood, main));
    }
  }

  private String rollBack(RenderedConfig lastGood, String main) {
    String generation = generation(lastGood);
    try {
      nginx.writeGeneration(generation, lastGood, candidateMain(main, generation));
      nginx.swapBack(generation);
      nginx.reload();
      reloads.increment();
      rollbacks.increment();
      LOG.warnf("step=nginx-rollback outcome=restored version=%s", lastGood.version());
      return "restored configuration " + lastGood.version();
    } catch (NginxUnavailableException e) {
      LOG.errorf(
          "step=nginx-rollback outcome=failed version=%s reason=\"%s\"",
          lastGood.version(), e.getMessage());
      return "restoring configuration " + lastGood.version() + " failed too: " + e.getMessage();
    }
  }

  /**
   * The image's main configuration with its live includes pointing at {@code generation}. Its pid
   * file moves into the generation too: {@code nginx -t} opens the pid file, and must neither need
   * nginx's run folder nor touch the running master's pid.
   */
  private String candidateMain(String main, String generation) throws NginxUnavailableException {
    String live = nginx.confDir() + "/live/";
    if (!main.contains(live) || !PID.matcher(main).find()) {
      throw new NginxUnavailableException(
          "the nginx image's main configuration lacks a pid line or an include of "
              + live
              + "; see deploy/images/nginx/README.md");
    }
    String directory = nginx.confDir() + "/" + generation + "/";
    return PID.matcher(main.replace(live, directory))
        .replaceFirst(Matcher.quoteReplacement("pid " + directory + "test.pid;"));
  }

  private static String generation(RenderedConfig config) {
    return "gen-" + config.version();
  }
}
