// The Tenantplane console: a client of the REST API and nothing more. The token lives only in
// this tab's sessionStorage and travels only in the Authorization header, never in a URL; every
// value from the API enters the page as text, never as markup. Live pages follow the fleet event
// stream (GET /api/v1/events) and read again what an event touched.
"use strict";

const TOKEN_KEY = "tenantplane.token";
const STREAM_RETRY_MS = 2000;
const REFRESH_DEBOUNCE_MS = 250;
const PAGE_SIZE = 20;

const state = { token: null, name: null, role: null, stream: null, listeners: new Set() };

// ---- DOM helpers -------------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function table(headings, rows, attrs) {
  return el("table", attrs,
    el("thead", {}, el("tr", {}, headings.map((h) => el("th", {}, h)))),
    el("tbody", {}, rows.length ? rows
      : el("tr", {}, el("td", { colspan: headings.length, class: "muted" }, "nothing here"))));
}

function show(node) {
  const main = document.getElementById("main");
  main.replaceChildren(node);
}

function message(text, isError) {
  const box = document.getElementById("message");
  box.textContent = text || "";
  box.hidden = !text;
  box.classList.toggle("error", Boolean(isError));
}

function when(iso) {
  return iso ? new Date(iso).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z") : "";
}

function age(iso) {
  if (!iso) return "";
  const seconds = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
  if (seconds < 60) return seconds + " s";
  if (seconds < 3600) return Math.floor(seconds / 60) + " min";
  if (seconds < 86400) return Math.floor(seconds / 3600) + " h";
  return Math.floor(seconds / 86400) + " d";
}

function millis(ms) {
  return ms === undefined || ms === null ? "" : ms < 1000 ? ms + " ms" : (ms / 1000).toFixed(1) + " s";
}

function bytes(n) {
  return n < 1024 ? n + " B" : n < 1048576 ? (n / 1024).toFixed(1) + " KiB" : (n / 1048576).toFixed(1) + " MiB";
}

function statusCell(status) {
  return el("span", { class: "status status-" + status, "data-field": "status" }, status);
}

function ports(p) {
  return p ? [p.app, p.database, p.redis].filter((x) => x !== undefined).join(" / ") : "";
}

function lastError(e) {
  return e ? e.step + ": " + e.reason : "";
}

function confirmFirst(text) {
  const dialog = document.getElementById("confirm");
  document.getElementById("confirm-text").textContent = text;
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
    dialog.showModal();
  });
}

// ---- the API ------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, problem) {
    const fields = (problem && problem.errors) || [];
    const detail = (problem && problem.detail) || "HTTP " + status;
    super(detail + (fields.length ? ": " + fields.map((f) => f.field + ": " + f.message).join("; ") : ""));
    this.status = status;
  }
}

async function api(method, path, body) {
  const headers = { Authorization: "Bearer " + state.token, Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = text && (response.headers.get("Content-Type") || "").includes("json")
    ? JSON.parse(text) : null;
  if (response.status === 401 && path !== "/api/v1/tokens/self") signOut("Your token was refused; sign in again.");
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, value);
  }
  const text = search.toString();
  return text ? "?" + text : "";
}

// Marks every page heading's "live" badge with the fleet stream's state.
function showLive() {
  const connected = Boolean(state.stream && state.stream.connected);
  document.querySelectorAll(".live").forEach((node) => {
    node.classList.toggle("on", connected);
    node.textContent = connected ? "live" : "connecting";
  });
}

// The fleet stream over fetch, since EventSource cannot send an Authorization header. It resumes
// after the last event it received whenever the connection drops.
function openFleetStream() {
  const controller = new AbortController();
  const stream = { controller, connected: false, lastId: null };
  (async () => {
    while (!controller.signal.aborted) {
      try {
        const headers = { Authorization: "Bearer " + state.token, Accept: "text/event-stream" };
        if (stream.lastId) headers["Last-Event-ID"] = stream.lastId;
        const response = await fetch("/api/v1/events", { headers, signal: controller.signal });
        if (response.status === 401) {
          signOut("Your token was refused; sign in again.");
          return;
        }
        if (!response.ok) throw new ApiError(response.status, null);
        stream.connected = true;
        showLive();
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value.replace(/\r\n?/g, "\n");
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            dispatch(buffer.slice(0, end), stream);
            buffer = buffer.slice(end + 2);
          }
        }
      } catch (error) {
        if (controller.signal.aborted) return;
      }
      stream.connected = false;
      showLive();
      await new Promise((resolve) => setTimeout(resolve, STREAM_RETRY_MS));
    }
  })();
  return stream;
}

function dispatch(block, stream) {
  let id = null;
  const data = [];
  for (const line of block.split("\n")) {
    if (line.startsWith("id:")) id = line.slice(3).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
  }
  if (id) stream.lastId = id;
  if (!data.length) return;
  const event = JSON.parse(data.join("\n"));
  state.listeners.forEach((listener) => listener(event));
}

// Calls refresh after events that match, at most once per burst of events.
function onFleetEvents(matches, refresh) {
  let timer = null;
  const listener = (event) => {
    if (!matches(event) || timer) return;
    timer = setTimeout(() => { timer = null; refresh(); }, REFRESH_DEBOUNCE_MS);
  };
  state.listeners.add(listener);
}

// ---- sign-in ------------------------------------------------------------------------------------

async function signIn(token) {
  state.token = token;
  try {
    const self = await api("GET", "/api/v1/tokens/self");
    state.name = self.name;
    state.role = self.role;
    sessionStorage.setItem(TOKEN_KEY, token);
    return true;
  } catch (error) {
    state.token = null;
    message(error.status === 401 ? "This token is unknown, revoked or expired." : error.message, true);
    return false;
  }
}

function signOut(why) {
  sessionStorage.removeItem(TOKEN_KEY);
  Object.assign(state, { token: null, name: null, role: null });
  if (state.stream) state.stream.controller.abort();
  state.stream = null;
  message(why || "", Boolean(why));
  render();
}

function signInPage() {
  const input = el("input", { type: "password", id: "token", autocomplete: "off", required: true });
  return el("form", {
    class: "signin",
    onsubmit: async (event) => {
      event.preventDefault();
      if (await signIn(input.value.trim())) {
        message("");
        if (!location.hash || location.hash === "#/") location.hash = "#/fleet";
        render();
      }
    },
  }, el("h1", {}, "Sign in"),
  el("label", { for: "token" }, "API token"), input,
  el("p", { class: "muted" }, "An admin's, operator's or viewer's token (deploy/tenantplane token). It is kept only in this tab."),
  el("button", { class: "primary", id: "sign-in" }, "Sign in"));
}

// What the signed-in token may do, as the API decides it: an admin does everything an operator
// does, and alone manages tokens.
const isAdmin = () => state.role === "admin";
const isOperator = () => state.role === "operator" || isAdmin();

// ---- pages --------------------------------------------------------------------------------------

function fleetPage(params) {
  const filters = { q: params.get("q") || "", status: params.get("status") || "", page: Number(params.get("page") || 0) };
  const search = el("input", { type: "search", id: "search", placeholder: "id or name", value: filters.q });
  const status = el("select", { id: "status-filter" }, el("option", { value: "" }, "any status"),
    ["REQUESTED", "ALLOCATED", "CONTAINERS_STARTED", "MIGRATED", "ROUTED", "READY", "FAILED",
      "SUSPENDED", "DEPROVISIONING", "ARCHIVED", "DEPROVISIONED"].map((s) => el("option", { value: s, selected: s === filters.status }, s)));
  const body = el("div", {});
  const apply = (page) => {
    location.hash = "#/fleet" + query({ q: search.value.trim(), status: status.value, page: page || undefined });
  };
  const load = async () => {
    try {
      const result = await api("GET", "/api/v1/customers" + query({ q: filters.q, status: filters.status, page: filters.page, size: PAGE_SIZE }));
      const rows = result.items.map((c) => el("tr", { dataset: { customer: c.id } },
        el("td", {}, el("a", { href: "#/customers/" + encodeURIComponent(c.id) }, c.id)),
        el("td", {}, c.name), el("td", {}, c.plan), el("td", {}, statusCell(c.status)),
        el("td", { class: c.health ? "health-" + c.health.status : "" }, c.health ? c.health.status : ""),
        el("td", {}, ports(c.ports)), el("td", { title: when(c.createdAt) }, age(c.createdAt)),
        el("td", {}, lastError(c.lastError))));
      const pages = Math.max(1, Math.ceil(result.total / result.size));
      body.replaceChildren(
        table(["Customer", "Name", "Plan", "Status", "Health", "Ports (app / db / redis)", "Age", "Last error"], rows, { class: "fleet" }),
        el("p", { class: "toolbar" },
          el("button", { disabled: filters.page === 0, onclick: () => apply(filters.page - 1) }, "Previous"),
          el("span", { class: "muted" }, `page ${filters.page + 1} of ${pages} · ${result.total} customers`),
          el("button", { disabled: filters.page + 1 >= pages, onclick: () => apply(filters.page + 1) }, "Next")));
    } catch (error) {
      message(error.message, true);
    }
  };
  onFleetEvents(() => true, load);
  load();
  return el("section", {},
    el("h1", {}, "Fleet ", el("span", { class: "live" })),
    el("form", { class: "toolbar", onsubmit: (e) => { e.preventDefault(); apply(0); } },
      search, status, el("button", {}, "Filter")),
    isOperator() ? newCustomerForm() : null,
    body);
}

function newCustomerForm() {
  const id = el("input", { id: "new-id", placeholder: "acme-corp", required: true, size: 16 });
  const name = el("input", { id: "new-name", placeholder: "ACME Corporation", required: true, size: 22 });
  const plan = el("select", { id: "new-plan" }, ["small", "standard", "large"].map((p) => el("option", { value: p }, p)));
  return el("form", {
    class: "inline",
    onsubmit: async (event) => {
      event.preventDefault();
      try {
        await api("POST", "/api/v1/customers", { id: id.value.trim(), name: name.value.trim(), plan: plan.value });
        location.hash = "#/customers/" + encodeURIComponent(id.value.trim());
      } catch (error) {
        message(error.message, true);
      }
    },
  }, el("strong", {}, "New customer"), id, name, plan, el("button", { class: "primary", id: "provision" }, "Provision"));
}

function customerPage(id) {
  const body = el("div", {}, el("p", { class: "muted" }, "loading…"));
  const load = async () => {
    try {
      const path = "/api/v1/customers/" + encodeURIComponent(id);
      const [customer, backups] = await Promise.all([api("GET", path), api("GET", path + "/backups?size=10")]);
      body.replaceChildren(customerView(customer, backups, load));
    } catch (error) {
      body.replaceChildren(el("p", { class: "notice error" }, error.message));
    }
  };
  onFleetEvents((event) => event.customerId === id, load);
  load();
  return el("section", {}, el("h1", {}, "Customer " + id + " ", el("span", { class: "live" })), body);
}

function customerView(c, backups, reload) {
  const act = (label, action, method, path, confirmText, enabled) => el("button", {
    dataset: { action }, disabled: !enabled, class: action === "deprovision" || action === "purge" ? "danger" : "",
    onclick: async () => {
      if (confirmText && !(await confirmFirst(confirmText))) return;
      try {
        await api(method, path);
        message(label + " accepted for " + c.id);
        reload();
      } catch (error) {
        message(error.message, true);
      }
    },
  }, label);
  const path = "/api/v1/customers/" + encodeURIComponent(c.id);
  const live = !["DEPROVISIONING", "ARCHIVED", "DEPROVISIONED"].includes(c.status);
  const actions = isOperator() ? el("p", { class: "toolbar", id: "actions" },
    act("Retry", "retry", "POST", path + "/retry", "Retry the failed step " + c.failedStep + " of " + c.id + "?", c.status === "FAILED"),
    act("Suspend", "suspend", "POST", path + "/suspend", "Suspend " + c.id + "? Its app answers 503 until it is resumed.", c.status === "READY"),
    act("Resume", "resume", "POST", path + "/resume", null, c.status === "SUSPENDED"),
    act("Unarchive", "unarchive", "POST", path + "/unarchive", "Bring " + c.id + " back? It is provisioned again on the data, files and ports its archive kept.", c.status === "ARCHIVED"),
    act("Backup", "backup", "POST", path + "/backups", null, c.status === "READY"),
    act("Deprovision", "deprovision", "DELETE", path, "Deprovision " + c.id + "? Its containers and route are removed; its data is kept (ARCHIVED) until it is purged.", live),
    act("Purge", "purge", "DELETE", path + "?purge=true", "Purge " + c.id + "? Its database is backed up, then its volumes, files and ports are released for good.", live || c.status === "ARCHIVED")) : null;
  const health = c.health;
  const queue = c.queue;
  const fact = (label, value, field) => [el("dt", {}, label), el("dd", { "data-field": field }, value)];
  const timeline = c.timeline.map((t) => el("tr", { dataset: { type: t.type } },
    el("td", {}, t.type), el("td", {}, t.step || ""), el("td", {}, when(t.startedAt)),
    el("td", { class: "num" }, millis(t.durationMillis)), el("td", { class: "num" }, t.attempt || ""),
    el("td", {}, t.reason || "")));
  return el("div", {},
    actions,
    el("dl", { class: "facts" },
      fact("Name", c.name, "name"), fact("Plan", c.plan, "plan"), fact("Status", statusCell(c.status), "status-fact"),
      c.failedStep ? fact("Failed step", c.failedStep, "failed-step") : null,
      fact("Ports (app / db / redis)", ports(c.ports), "ports"),
      fact("Health", health ? health.status + (health.component ? " (" + health.component + (health.error ? ": " + health.error : "") + ")" : "") : "not watched yet", "health"),
      c.components ? fact("Components", el("span", {}, Object.entries(c.components).map(([name, state], i) => [
        i ? ", " : "", el("span", { class: state === "ok" ? "health-HEALTHY" : "health-UNHEALTHY", dataset: { component: name } }, name + ": " + state)])), "components") : null,
      queue ? fact("Jobs", `${queue.waiting} waiting, ${queue.delayed} delayed, ${queue.running} running, ${queue.failed} failed`, "jobs") : null,
      fact("Last error", lastError(c.lastError), "last-error"),
      c.archive ? fact("Archived data", c.archive.volumes.map((v) => v.name + " (" + bytes(v.bytes) + ")").join(", ")
        + (c.archive.backupFile ? "; backup " + c.archive.backupFile : ""), "archive") : null,
      fact("Containers", c.names.containers.join(", "), "containers"),
      fact("Created", when(c.createdAt), "created")),
    el("h2", {}, "Backups"),
    table(["Backup", "Status", "Requested", "By", "Size", "Schema", "SHA-256 (database)", "Error", ""],
      backups.items.map((b) => el("tr", { dataset: { backup: b.id } },
        el("td", {}, b.id), el("td", { "data-field": "backup-status" }, b.status), el("td", {}, when(b.requestedAt)),
        el("td", {}, b.requestedBy || ""), el("td", { class: "num" }, b.database ? bytes(b.database.bytes + b.redis.bytes) : ""),
        el("td", {}, b.schemaVersion || ""), el("td", { class: "hash" }, b.database ? b.database.sha256 : ""),
        el("td", {}, b.error || ""),
        el("td", {}, isOperator() && b.status === "COMPLETED" ? el("button", {
          dataset: { action: "restore" }, disabled: c.status !== "READY",
          onclick: async () => {
            if (!(await confirmFirst("Restore " + c.id + " from backup " + b.id + "? What was written since "
              + when(b.requestedAt) + " is lost; the app answers again once it is READY."))) return;
            try {
              await api("POST", path + "/restores", { backupId: b.id });
              message("Restore accepted for " + c.id);
              reload();
            } catch (error) {
              message(error.message, true);
            }
          },
        }, "Restore") : null))), { class: "backups" }),
    el("h2", {}, "Timeline"),
    table(["Event", "Step", "Started", "Took", "Attempt", "Reason"], timeline, { class: "timeline" }));
}

function migrationsPage() {
  const body = el("div", {});
  const load = async () => {
    try {
      const result = await api("GET", "/api/v1/fleet/migrations?size=" + PAGE_SIZE);
      body.replaceChildren(table(["Run", "Status", "Requested", "By", "Schema", "Migrated", "Already current", "Failed"],
        result.items.map((m) => el("tr", {},
          el("td", {}, el("a", { href: "#/migrations/" + encodeURIComponent(m.id) }, m.id)), el("td", {}, m.status),
          el("td", {}, when(m.requestedAt)), el("td", {}, m.requestedBy), el("td", {}, m.schemaVersion || ""),
          el("td", { class: "num" }, m.migrated), el("td", { class: "num" }, m.alreadyCurrent), el("td", { class: "num" }, m.failed)))));
    } catch (error) {
      message(error.message, true);
    }
  };
  load();
  return el("section", {}, el("h1", {}, "Fleet migrations"), body);
}

function migrationPage(id) {
  const body = el("div", {});
  api("GET", "/api/v1/fleet/migrations/" + encodeURIComponent(id)).then((m) => body.replaceChildren(
    el("p", {}, `${m.status}: ${m.migrated} migrated, ${m.alreadyCurrent} already current, ${m.failed} failed`),
    table(["Customer", "Outcome", "Schema", "Reason"], (m.outcomes || []).map((o) => el("tr", {},
      el("td", {}, el("a", { href: "#/customers/" + encodeURIComponent(o.customerId) }, o.customerId)),
      el("td", {}, o.outcome), el("td", {}, o.schemaVersion || ""), el("td", {}, o.reason || ""))))),
  (error) => message(error.message, true));
  return el("section", {}, el("h1", {}, "Fleet migration " + id), body);
}

function auditPage(params) {
  const fields = ["actor", "customer", "action", "since"];
  const inputs = Object.fromEntries(fields.map((f) => [f, el("input", { id: "audit-" + f, placeholder: f, value: params.get(f) || "" })]));
  const body = el("div", {});
  const filter = Object.fromEntries(fields.map((f) => [f, params.get(f) || ""]));
  api("GET", "/api/v1/audit" + query({ ...filter, size: 50 })).then((result) => body.replaceChildren(
    table(["At", "Actor", "Action", "Customer", "Detail"], result.items.map((a) => el("tr", {},
      el("td", {}, when(a.at)), el("td", {}, a.actor), el("td", {}, a.action),
      el("td", {}, a.customerId || ""), el("td", {}, a.detail || ""))))),
  (error) => message(error.message, true));
  return el("section", {}, el("h1", {}, "Audit"),
    el("form", { class: "toolbar", onsubmit: (e) => {
      e.preventDefault();
      location.hash = "#/audit" + query(Object.fromEntries(fields.map((f) => [f, inputs[f].value.trim()])));
    } }, Object.values(inputs), el("button", {}, "Filter")),
    body);
}

function tokensPage() {
  const body = el("div", {});
  const shown = el("div", {});
  const name = el("input", { id: "token-name", placeholder: "name, e.g. alice-viewer", required: true });
  const role = el("select", { id: "token-role" }, ...["viewer", "operator", "admin"].map((r) => el("option", { value: r }, r)));
  // Empty: the gateway's default lifetime. Its limits are settings, so the gateway checks them.
  const days = el("input", { id: "token-days", type: "number", min: 1, placeholder: "default", size: 7 });
  const load = () => api("GET", "/api/v1/tokens").then((tokens) => body.replaceChildren(
    table(["Name", "Role", "Created", "By", "Expires", "Last used", "Revoked", ""], tokens.map((t) => el("tr", { dataset: { token: t.name } },
      el("td", {}, t.name), el("td", {}, t.role), el("td", {}, when(t.createdAt)), el("td", {}, t.createdBy || ""),
      el("td", {}, t.expiresAt ? when(t.expiresAt) : "never"),
      el("td", { "data-field": "last-used" }, t.lastUsedAt ? when(t.lastUsedAt) : "never"),
      el("td", { "data-field": "revoked" }, when(t.revokedAt)),
      el("td", {}, !t.revokedAt ? el("button", {
        dataset: { action: "revoke" },
        onclick: async () => {
          if (!(await confirmFirst("Revoke the token " + t.name + "? It stops working at once."))) return;
          try { await api("DELETE", "/api/v1/tokens/" + encodeURIComponent(t.name)); load(); } catch (error) { message(error.message, true); }
        },
      }, "Revoke") : ""))), { class: "tokens" })),
  (error) => message(error.message, true));
  load();
  return el("section", {}, el("h1", {}, "API tokens"),
    el("form", {
      class: "inline",
      onsubmit: async (event) => {
        event.preventDefault();
        try {
          const request = { name: name.value.trim(), role: role.value };
          if (days.value !== "") request.expiresInDays = Number(days.value);
          const created = await api("POST", "/api/v1/tokens", request);
          shown.replaceChildren(el("p", { class: "notice" }, "The token of " + created.name + ", shown only now (copy it): ",
            el("code", { id: "new-token" }, created.token)));
          load();
        } catch (error) {
          message(error.message, true);
        }
      },
    }, el("strong", {}, "New token"), name, role, el("label", { for: "token-days" }, "days"), days,
    el("button", { class: "primary", id: "create-token" }, "Create")),
    shown, body);
}

function deadLettersPage() {
  const body = el("div", {});
  const load = () => api("GET", "/api/v1/dead-letters?size=50").then((result) => body.replaceChildren(
    table(["Received", "Customer", "Event", "Consumer", "Step", "Reason", "Replayed", ""],
      result.items.map((d) => el("tr", {},
        el("td", {}, when(d.receivedAt)), el("td", {}, d.customerId || ""), el("td", {}, d.eventType || ""),
        el("td", {}, d.consumer || ""), el("td", {}, d.step || ""), el("td", {}, d.reason || d.origin || ""),
        el("td", {}, d.replayedAt ? when(d.replayedAt) + " by " + d.replayedBy : ""),
        el("td", {}, isOperator() && !d.replayedAt && d.customerId ? el("button", {
          dataset: { action: "replay" },
          onclick: async () => {
            if (!(await confirmFirst("Replay dead letter " + d.id + " for " + d.customerId + "?"))) return;
            try { await api("POST", "/api/v1/dead-letters/" + d.id + "/replay"); load(); } catch (error) { message(error.message, true); }
          },
        }, "Replay") : ""))))),
  (error) => message(error.message, true));
  load();
  return el("section", {}, el("h1", {}, "Dead letters"), body);
}

// ---- routing ------------------------------------------------------------------------------------

function render() {
  state.listeners.clear();
  const signedIn = Boolean(state.token);
  document.getElementById("nav").hidden = !signedIn;
  document.getElementById("nav-tokens").hidden = !isAdmin();
  const who = document.getElementById("who");
  who.replaceChildren(...(signedIn ? [
    el("span", { id: "signed-in-as" }, state.name + " (" + state.role + ")"),
    el("button", { id: "sign-out", onclick: () => signOut() }, "Sign out")] : []));
  if (!signedIn) {
    show(signInPage());
    return;
  }
  if (!state.stream) state.stream = openFleetStream();
  const [path, search] = (location.hash.slice(1) || "/fleet").split("?");
  const params = new URLSearchParams(search || "");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const page =
    parts[0] === "customers" && parts[1] ? customerPage(parts[1])
      : parts[0] === "migrations" && parts[1] ? migrationPage(parts[1])
        : parts[0] === "migrations" ? migrationsPage()
          : parts[0] === "audit" ? auditPage(params)
            : parts[0] === "dead-letters" ? deadLettersPage()
              : parts[0] === "tokens" && isAdmin() ? tokensPage()
              : fleetPage(params);
  show(page);
  showLive();
}

window.addEventListener("hashchange", () => { message(""); render(); });
window.addEventListener("DOMContentLoaded", async () => {
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved && !(await signIn(saved))) sessionStorage.removeItem(TOKEN_KEY);
  render();
});
