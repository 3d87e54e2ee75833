package dev.tenantplane.nginx;

import dev.tenantplane.nginx.apply.ExecResult;
import dev.tenantplane.nginx.apply.NginxContainer;
import java.util.HashMap;
import java.util.Map;

/**
 * What the nginx container uses, for the benches: the memory its cgroup is charged for (master and
 * the workers of every generation still alive; what its limit applies to) and its nginx processes.
 */
record NginxMemory(long kib, int processes) {
  static NginxMemory of(NginxContainer nginx) throws Exception {
    ExecResult result =
        nginx.exec(
            "www-data",
            "sh",
            "-c",
            "used=$(cat /sys/fs/cgroup/memory/memory.usage_in_bytes 2>/dev/null"
                + " || cat /sys/fs/cgroup/memory.current); count=0;"
                + " for s in /proc/[0-9]*/status; do"
                + " grep -q '^Name:[[:space:]]*nginx' $s 2>/dev/null && count=$((count + 1));"
                + " done; echo \"nginx_memory_kib=$((used / 1024)) nginx_processes=$count\"");
    Map<String, String> fields = new HashMap<>();
    for (String pair : result.stdout().trim().split("\\s+")) {
      String[] kv = pair.split("=", 2);
      fields.put(kv[0], kv[1]);
    }
    return new NginxMemory(
        Long.parseLong(fields.get("nginx_memory_kib")),
        Integer.parseInt(fields.get("nginx_processes")));
  }

  @Override
  public String toString() {
    return "nginx_memory_kib=" + kib + " nginx_processes=" + processes;
  }
}
