// Validates rendered manifests offline: every object against its JSON schema with unknown
// fields rejected, then PDPS's own rules for workloads, Services and NetworkPolicies.
// Usage: node validate.mjs NAME=render.yaml [NAME=render.yaml ...]
//
// Kubernetes schemas: the OpenAPI definitions that the npm package kubernetes-models
// (pinned in package.json) ships as plain JSON schemas, one module per type. They leave
// objects open, so every object schema is closed here (additionalProperties: false),
// as kubeconform's -strict does. CloudNativePG: our transcription in schemas/.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import YAML from "yaml";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

// Each kubernetes-models schema module hands its raw schema to
// @kubernetes-models/validate's register(); replacing register() collects them.
function kubernetesSchemas() {
  const modelsDir = path.dirname(require.resolve("kubernetes-models/package.json"));
  const fromModels = createRequire(path.join(modelsDir, "package.json"));
  const collected = new Map();
  fromModels("@kubernetes-models/validate").register = (id, schema) => {
    if (!collected.has(id)) collected.set(id, schema);
  };
  const dir = path.join(modelsDir, "_schemas");
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".js"))) {
    fromModels(path.join(dir, file)).addSchema();
  }
  if (!collected.has("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")) {
    throw new Error("kubernetes-models registered no ObjectMeta: two copies of " +
      "@kubernetes-models/validate are installed? (npm ls @kubernetes-models/validate)");
  }
  return collected;
}

function strict(node) {
  if (Array.isArray(node)) return node.map(strict);
  if (node === null || typeof node !== "object") return node;
  // An optional reference is written oneOf [ref, null]; rendered manifests hold no nulls,
  // and the bare reference reports one clear error instead of three.
  if (Array.isArray(node.oneOf) && node.oneOf.length === 2 &&
      node.oneOf.some((s) => s.type === "null")) {
    return strict(node.oneOf.find((s) => s.type !== "null"));
  }
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === "properties"
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strict(v)]))
      : strict(value);
  }
  if (out.properties && out.additionalProperties === undefined &&
      !out["x-kubernetes-preserve-unknown-fields"]) {
    out.additionalProperties = false;
  }
  return out;
}

function buildValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addFormat("quantity", /^[+-]?(\d+|\d+\.\d*|\.\d+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/);
  const byKind = new Map(); // "apiVersion/kind" -> schema id
  const add = (id, schema) => {
    ajv.addSchema(strict(schema), id);
    const apiVersion = schema.properties?.apiVersion?.enum;
    const kind = schema.properties?.kind?.enum;
    if (apiVersion?.length === 1 && kind?.length === 1) byKind.set(`${apiVersion[0]}/${kind[0]}`, id);
  };
  for (const [id, schema] of kubernetesSchemas()) add(id, schema);
  const cnpgDir = path.join(here, "schemas");
  for (const file of fs.readdirSync(cnpgDir).filter((f) => f.endsWith(".json"))) {
    add(path.basename(file, ".json"), JSON.parse(fs.readFileSync(path.join(cnpgDir, file), "utf8")));
  }
  return { ajv, byKind };
}

// "/spec/template/spec/containers/0/foo" -> "spec.template.spec.containers[0].foo"
function fieldPath(pointer) {
  return pointer.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), "");
}

function describe(err) {
  const at = fieldPath(err.instancePath) || "(object)";
  switch (err.keyword) {
    case "additionalProperties":
      return `${at ? `${at}.` : ""}${err.params.additionalProperty}: unknown field`.replace(/^\(object\)\./, "");
    case "required":
      return `${at}: missing required field "${err.params.missingProperty}"`;
    case "enum":
      return `${at}: must be one of ${err.params.allowedValues.join(", ")}`;
    default:
      return `${at}: ${err.message}`;
  }
}

function schemaErrors(v, doc) {
  const id = v.byKind.get(`${doc.apiVersion}/${doc.kind}`);
  if (!id) return [`no schema for ${doc.apiVersion} ${doc.kind} (add one to tests/k8s/schemas/)`];
  const validate = v.ajv.getSchema(id);
  return validate(doc) ? [] : [...new Set(validate.errors.map(describe))];
}

function seconds(duration) {
  const units = { ms: 0.001, s: 1, m: 60, h: 3600 };
  const parts = [...String(duration).matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  return parts.length ? parts.reduce((t, [, n, u]) => t + Number(n) * units[u], 0) : NaN;
}

// The PDPS_* variables each service reads (tests/k8s/settings.json, which
// k8s_settings_test holds equal to the code): any other is ignored by the binary, so a
// misspelt config.env key would otherwise pass unnoticed.
const SETTINGS = JSON.parse(fs.readFileSync(path.join(here, "settings.json"), "utf8"));

// A container's environment as the kubelet builds it: envFrom ConfigMaps, then env (which
// wins). Values from Secrets are present with value undefined.
function containerEnv(c, configMaps) {
  const env = new Map();
  for (const f of c.envFrom ?? []) {
    for (const [k, val] of Object.entries(configMaps.get(f.configMapRef?.name) ?? {})) env.set(k, val);
  }
  for (const e of c.env ?? []) env.set(e.name, e.value);
  return env;
}

// PDPS's rules (CONVENTIONS.md, Kubernetes): what a schema cannot say.
function policyErrors(doc, render, configMaps) {
  const errors = [];
  const pod = doc.kind === "CronJob" ? doc.spec?.jobTemplate?.spec?.template?.spec
    : doc.spec?.template?.spec;
  if (["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"].includes(doc.kind) && pod) {
    if (pod.automountServiceAccountToken !== false) {
      errors.push("pod: automountServiceAccountToken must be false");
    }
    const containers = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
    for (const c of containers) {
      const at = `container ${c.name}`;
      const sc = c.securityContext ?? {};
      const psc = pod.securityContext ?? {};
      if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) errors.push(`${at}: runAsNonRoot must be true`);
      if ((sc.seccompProfile ?? psc.seccompProfile)?.type !== "RuntimeDefault") {
        errors.push(`${at}: seccompProfile must be RuntimeDefault`);
      }
      if (sc.readOnlyRootFilesystem !== true) errors.push(`${at}: readOnlyRootFilesystem must be true`);
      if (sc.allowPrivilegeEscalation !== false) errors.push(`${at}: allowPrivilegeEscalation must be false`);
      if (!(sc.capabilities?.drop ?? []).includes("ALL")) errors.push(`${at}: capabilities must drop ALL`);
      for (const kind of ["requests", "limits"]) {
        for (const r of ["cpu", "memory"]) {
          if (c.resources?.[kind]?.[r] === undefined) errors.push(`${at}: resources.${kind}.${r} missing`);
        }
      }
      // Base renders leave tags to the overlays; an overlay must pin one.
      const tag = /@sha256:|:([^/:]+)$/.exec(c.image ?? "");
      if (render !== "base" && (!tag || tag[1] === "latest")) {
        errors.push(`${at}: image "${c.image}" needs a pinned tag (not latest)`);
      }
      const service = (doc.kind === "CronJob" ? doc.spec?.jobTemplate?.spec?.template
        : doc.spec?.template)?.metadata?.labels?.["app.kubernetes.io/name"];
      const known = SETTINGS[service];
      if (!known) {
        errors.push(`${at}: app.kubernetes.io/name "${service}" has no settings list in tests/k8s/settings.json`);
      } else {
        for (const name of containerEnv(c, configMaps).keys()) {
          if (name.startsWith("PDPS_") && !known.includes(name)) {
            errors.push(`${at}: ${name} is not a setting ${service} reads (tests/k8s/settings.json); misspelt?`);
          }
        }
      }
    }
    // Every database connection verifies the server (operations.md): a conninfo written
    // out says sslmode=verify-full and sslrootcert; one from a Secret (CloudNativePG's
    // `uri` has no sslmode) relies on PGSSLMODE and PGSSLROOTCERT. The CA is mounted.
    for (const c of containers) {
      const env = containerEnv(c, configMaps);
      const mounted = (file) => file && (c.volumeMounts ?? []).some((m) =>
        path.posix.dirname(file) === m.mountPath || file.startsWith(`${m.mountPath}/`));
      for (const [name, value] of env) {
        if (!/^PDPS_\w*DATABASE_URL$/.test(name)) continue;
        const mode = value === undefined ? env.get("PGSSLMODE") : /\bsslmode=([\w-]+)/.exec(value)?.[1];
        const root = value === undefined ? env.get("PGSSLROOTCERT") : /\bsslrootcert=([^\s&]+)/.exec(value)?.[1];
        if (mode !== "verify-full" || !mounted(root)) {
          errors.push(`container ${c.name}: ${name} must verify the server: ` + (value === undefined
            ? "from a Secret, it needs PGSSLMODE=verify-full and PGSSLROOTCERT=<the mounted CA>"
            : "sslmode=verify-full and sslrootcert=<the mounted CA>"));
        }
      }
    }
    if (doc.kind === "Deployment") {
      for (const c of pod.containers ?? []) {
        if (!c.readinessProbe?.grpc) errors.push(`container ${c.name}: needs a grpc readinessProbe`);
        if (!c.livenessProbe?.grpc) errors.push(`container ${c.name}: needs a grpc livenessProbe`);
        // SIGTERM: NOT_SERVING for PDPS_SHUTDOWN_DRAIN, then in-flight calls get
        // PDPS_SHUTDOWN_GRACE, then a database statement still running is cancelled (at
        // most 1 s); the kubelet must wait longer than all three, with 2 s to spare
        // (operations.md).
        const env = containerEnv(c, configMaps);
        const setting = (name) => seconds(env.get(name) ?? SETTINGS.defaults[name]);
        const drain = setting("PDPS_SHUTDOWN_DRAIN");
        const grace = setting("PDPS_SHUTDOWN_GRACE");
        const period = pod.terminationGracePeriodSeconds ?? 30;
        if (!(period > drain + grace + 2)) {
          errors.push(`pod: terminationGracePeriodSeconds (${period}) must exceed PDPS_SHUTDOWN_DRAIN + ` +
            `PDPS_SHUTDOWN_GRACE + 2 s (${drain}s + ${grace}s + 2s)`);
        }
        // The drain must outlast the readiness probe's noticing NOT_SERVING, else calls
        // are still routed to a listener that has closed.
        const probe = c.readinessProbe ?? {};
        const noticed = (probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3);
        if (c.readinessProbe?.grpc && !(drain >= noticed)) {
          errors.push(`container ${c.name}: PDPS_SHUTDOWN_DRAIN (${drain}s) must be at least the ` +
            `readinessProbe's periodSeconds × failureThreshold (${noticed}s)`);
        }
      }
    }
  }
  if (doc.kind === "Service" && !(doc.spec?.ports ?? []).some((p) => p.name === "grpc")) {
    errors.push("spec.ports: needs a port named grpc");
  }
  return errors;
}

// ---- NetworkPolicy: what may talk to what (ARCHITECTURE.md, "Between services") ----
// A service's peers are its PDPS_<PEER>_ADDR settings (host:port of a Service in the same
// namespace; PDPS_GRPC_ADDR and PDPS_METRICS_ADDR are its own listeners). For every
// workload: some NetworkPolicy selects its pods for both Ingress and Egress; its egress
// allows the database, DNS and each declared peer's gRPC port and nothing else; and each
// peer's ingress admits it on that port. A service with peers mounts its service token.

const DB_PORT = 5432;
const DNS_NAMESPACE = "kube-system";
const OWN_ADDRS = new Set(["PDPS_GRPC_ADDR", "PDPS_METRICS_ADDR"]);

function selects(selector, labels) {
  if (!selector) return true;
  for (const [k, val] of Object.entries(selector.matchLabels ?? {})) {
    if (labels?.[k] !== val) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels ?? {}, e.key);
    const val = labels?.[e.key];
    if (e.operator === "In" && !(has && e.values.includes(val))) return false;
    if (e.operator === "NotIn" && has && e.values.includes(val)) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

// The pods of a render that run PDPS code: labels, container ports, settings, namespace.
function workloads(docs, configMaps) {
  const out = [];
  for (const doc of docs) {
    if (!["Deployment", "StatefulSet", "DaemonSet", "Job"].includes(doc.kind)) continue;
    const pod = doc.spec?.template;
    if (!pod?.spec) continue;
    const env = {};
    const ports = [];
    for (const c of pod.spec.containers ?? []) {
      for (const f of c.envFrom ?? []) Object.assign(env, configMaps.get(f.configMapRef?.name) ?? {});
      for (const e of c.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
      for (const p of c.ports ?? []) ports.push({ ...p, protocol: p.protocol ?? "TCP" });
    }
    out.push({ doc, name: `${doc.kind}/${doc.metadata.name}`, labels: pod.metadata?.labels ?? {},
      namespace: doc.metadata.namespace, pod: pod.spec, env, ports });
  }
  return out;
}

function namespaceLabels(docs, name) {
  const ns = docs.find((d) => d.kind === "Namespace" && d.metadata?.name === name);
  return { ...(ns?.metadata?.labels ?? {}), "kubernetes.io/metadata.name": name };
}

// Does a NetworkPolicy peer (one element of from/to) cover pods with these labels in that
// namespace, as seen from a policy in policyNs?
function peerCovers(docs, peer, policyNs, labels, namespace) {
  if (peer.ipBlock) return false; // pod-to-pod traffic is judged by selectors only
  if (peer.namespaceSelector) {
    if (!selects(peer.namespaceSelector, namespaceLabels(docs, namespace))) return false;
  } else if (namespace !== policyNs) {
    return false;
  }
  return selects(peer.podSelector, labels);
}

// Does a rule's port list cover (port, protocol) on pods whose named ports are `named`?
function portsCover(rulePorts, port, protocol, named) {
  if (!rulePorts?.length) return true;
  return rulePorts.some((p) => {
    if ((p.protocol ?? "TCP") !== protocol) return false;
    if (p.port === undefined) return true;
    const number = typeof p.port === "number" ? p.port
      : named.find((n) => n.name === p.port)?.containerPort;
    return number === port || (p.endPort !== undefined && number <= port && port <= p.endPort);
  });
}

function policiesFor(docs, w, type) {
  return docs.filter((d) => d.kind === "NetworkPolicy" && d.metadata.namespace === w.namespace &&
    (d.spec.policyTypes ?? ["Ingress"]).includes(type) && selects(d.spec.podSelector, w.labels));
}

// host:port -> the Service, and the pods and container port behind that Service port.
function resolvePeer(docs, all, w, key, value) {
  const m = /^([a-z0-9.-]+):(\d+)$/.exec(value);
  if (!m) return { error: `${key}=${value}: expected host:port` };
  const [service, ns = w.namespace, ...rest] = m[1].split(".");
  if (ns !== w.namespace || (rest.length && rest.join(".") !== "svc" && !/^svc\./.test(rest.join(".")))) {
    return { error: `${key}=${value}: must name a Service in this namespace (${w.namespace})` };
  }
  const svc = docs.find((d) => d.kind === "Service" && d.metadata.name === service &&
    d.metadata.namespace === w.namespace);
  const sp = svc?.spec?.ports?.find((p) => p.port === Number(m[2]));
  if (!sp) return { error: `${key}=${value}: no Service ${service} with port ${m[2]} in this render` };
  const targets = all.filter((t) => t.namespace === w.namespace && svc.spec.selector &&
    selects({ matchLabels: svc.spec.selector }, t.labels));
  if (!targets.length) return { error: `${key}=${value}: Service ${service} selects no workload` };
  const target = targets[0];
  const tp = sp.targetPort ?? sp.port;
  const cp = target.ports.find((p) => (typeof tp === "number" ? p.containerPort === tp : p.name === tp));
  if (!cp) return { error: `${key}=${value}: ${target.name} has no container port ${tp}` };
  return { key, service, target, port: cp.containerPort, protocol: sp.protocol ?? "TCP" };
}

function networkErrors(render) {
  const { docs, configMaps } = render;
  const all = workloads(docs, configMaps);
  const errors = [];
  const fail = (w, e) => errors.push(`${w.name}: ${e}`);
  // Peers are declared by a service's Deployment; its Job shares the policy.
  for (const w of all.filter((x) => x.doc.kind === "Deployment")) {
    const peers = [];
    for (const [key, value] of Object.entries(w.env)) {
      if (!/^PDPS_[A-Z0-9_]+_ADDR$/.test(key) || OWN_ADDRS.has(key)) continue;
      const peer = resolvePeer(docs, all, w, key, value);
      if (peer.error) fail(w, peer.error); else peers.push(peer);
    }
    w.peers = peers;
  }
  // Every egress rule is the database, DNS, or the gRPC port of a peer that a workload it
  // selects declares; nothing broader. Judged once per policy.
  const clusters = new Set(docs.filter((d) => d.kind === "Cluster").map((d) => d.metadata.name));
  const dnsSelector = JSON.stringify({ matchLabels: { "kubernetes.io/metadata.name": DNS_NAMESPACE } });
  for (const np of docs.filter((d) => d.kind === "NetworkPolicy")) {
    const peers = all.filter((w) => w.namespace === np.metadata.namespace &&
      selects(np.spec.podSelector, w.labels)).flatMap((w) => w.peers ?? []);
    const allowed = (dest, ports) => {
      if (dest.ipBlock || dest.podSelector?.matchExpressions?.length) return false;
      const labels = dest.podSelector?.matchLabels ?? {};
      const only = (p, port, protocols) => p.port === port && !p.endPort &&
        protocols.includes(p.protocol ?? "TCP");
      if (dest.namespaceSelector) { // DNS: kube-system, port 53 only
        return !dest.podSelector && JSON.stringify(dest.namespaceSelector) === dnsSelector &&
          ports.every((p) => only(p, 53, ["UDP", "TCP"]));
      }
      if (clusters.has(labels["cnpg.io/cluster"])) { // the database
        return ports.every((p) => only(p, DB_PORT, ["TCP"]));
      }
      // A declared peer, named by app, on the port its Service forwards to.
      const mine = peers.filter((q) => labels["app.kubernetes.io/name"] &&
        labels["app.kubernetes.io/name"] === q.target.labels["app.kubernetes.io/name"] &&
        selects(dest.podSelector, q.target.labels));
      return mine.length > 0 && ports.every((p) => mine.some((q) => !p.endPort &&
        (p.protocol ?? "TCP") === q.protocol &&
        (p.port === q.port || q.target.ports.some((cp) => cp.name === p.port && cp.containerPort === q.port))));
    };
    (np.spec.egress ?? []).forEach((rule, i) => {
      const at = `NetworkPolicy/${np.metadata.name}: egress[${i}]`;
      const to = rule.to ?? [];
      const ports = rule.ports ?? [];
      if (!to.length || !ports.length) {
        errors.push(`${at}: allows every ${to.length ? "port" : "destination"}; name the database, DNS or a peer`);
      } else if (!to.every((dest) => allowed(dest, ports))) {
        errors.push(`${at}: allows ${JSON.stringify({ to, ports })}, which is not the database, DNS ` +
          `or a peer declared by a PDPS_*_ADDR setting (${[...new Set(peers.map((q) => q.key))].join(", ") || "none"})`);
      }
    });
  }
  for (const w of all) {
    const ingress = policiesFor(docs, w, "Ingress");
    const egress = policiesFor(docs, w, "Egress");
    if (!ingress.length) fail(w, "no NetworkPolicy restricts its ingress");
    if (!egress.length) { fail(w, "no NetworkPolicy restricts its egress"); continue; }
    // Each declared peer: this side may send, the other side admits.
    for (const peer of w.peers ?? []) {
      const out = egress.some((np) => (np.spec.egress ?? []).some((rule) =>
        (!rule.to?.length || rule.to.some((t) =>
          peerCovers(docs, t, np.metadata.namespace, peer.target.labels, peer.target.namespace))) &&
        portsCover(rule.ports, peer.port, peer.protocol, peer.target.ports)));
      if (!out) fail(w, `egress does not allow ${peer.key} (${peer.target.name} port ${peer.port})`);
      const theirs = policiesFor(docs, peer.target, "Ingress");
      const admitted = !theirs.length || theirs.some((np) => (np.spec.ingress ?? []).some((rule) =>
        (!rule.from?.length || rule.from.some((f) =>
          peerCovers(docs, f, np.metadata.namespace, w.labels, w.namespace))) &&
        portsCover(rule.ports, peer.port, peer.protocol, peer.target.ports)));
      if (!admitted) {
        fail(w, `${peer.target.name}'s ingress does not admit it on port ${peer.port} (${peer.key})`);
      }
    }
    // Calling a peer needs the service's own token, from a required Secret, mounted
    // read-only as a whole directory (no subPath) so that a renewed token reaches the pod.
    if (w.peers?.length) {
      const file = w.env.PDPS_SERVICE_TOKEN_FILE;
      const containers = w.pod.containers ?? [];
      const mount = file && containers.flatMap((c) => c.volumeMounts ?? [])
        .find((m) => m.mountPath === path.posix.dirname(file));
      const volume = mount && (w.pod.volumes ?? []).find((v) => v.name === mount.name);
      if (!file) fail(w, "calls peers but PDPS_SERVICE_TOKEN_FILE is not set");
      else if (!mount) fail(w, `PDPS_SERVICE_TOKEN_FILE ${file}: no volume mounted at ${path.posix.dirname(file)}`);
      else if (mount.readOnly !== true || mount.subPath || !volume?.secret || volume.secret.optional === true) {
        fail(w, `PDPS_SERVICE_TOKEN_FILE ${file}: must be a required Secret mounted read-only without subPath`);
      }
    }
  }
  return errors;
}

function check(v, doc, render, configMaps) {
  return [...schemaErrors(v, doc), ...policyErrors(doc, render, configMaps)];
}

// Proves the checks bite: copies of rendered objects with one planted fault must each be
// refused for exactly that fault (so the clean copy passed, and the fault was seen).
function selfCheck(v, renders) {
  const all = renders.flatMap((r) => r.docs.map((doc) => ({ ...r, doc })));
  const pick = (kind) => all.find((x) => x.doc.kind === kind);
  const cases = [
    ["Deployment", "unknown field in a container",
      (d) => { d.spec.template.spec.containers[0].imagePullPolicyy = "Always"; },
      "spec.template.spec.containers[0].imagePullPolicyy: unknown field"],
    ["Deployment", "writable root filesystem",
      (d) => { delete d.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem; },
      "readOnlyRootFilesystem must be true"],
    ["Deployment", "a setting the service does not read",
      (d) => { d.spec.template.spec.containers[0].env.push({ name: "PDPS_DB_POOLSIZE", value: "32" }); },
      "PDPS_DB_POOLSIZE is not a setting"],
    ["Job", "a setting the migrate Job does not read",
      (d) => { d.spec.template.spec.containers[0].env.push({ name: "PDPS_MIGRATIONS_DIRECTORY", value: "/x" }); },
      "PDPS_MIGRATIONS_DIRECTORY is not a setting"],
    ["Deployment", "termination grace shorter than drain + grace",
      (d) => { d.spec.template.spec.containers[0].env.push({ name: "PDPS_SHUTDOWN_DRAIN", value: "15s" }); },
      "must exceed PDPS_SHUTDOWN_DRAIN + PDPS_SHUTDOWN_GRACE + 2 s (15s + 20s + 2s)"],
    ["Deployment", "a drain the readiness probe cannot notice",
      (d) => { d.spec.template.spec.containers[0].env.push({ name: "PDPS_SHUTDOWN_DRAIN", value: "2s" }); },
      "PDPS_SHUTDOWN_DRAIN (2s) must be at least the readinessProbe's periodSeconds × failureThreshold (10s)"],
    ["Job", "bootstrap connection without a certificate check",
      (d) => {
        const c = d.spec.template.spec.containers[0];
        c.env = c.env.filter((e) => e.name !== "PGSSLMODE");
      },
      "PDPS_BOOTSTRAP_DATABASE_URL must verify the server"],
    ["Deployment", "database connection without a certificate check",
      (d) => {
        const e = d.spec.template.spec.containers[0].env.find((x) => x.name === "PDPS_DATABASE_URL");
        e.value = e.value.replace("sslmode=verify-full", "sslmode=require");
      },
      "PDPS_DATABASE_URL must verify the server"],
    ["Cluster", "unknown CloudNativePG field",
      (d) => { d.spec.storage.sise = "1Gi"; }, "spec.storage.sise: unknown field"],
    ["Cluster", "CloudNativePG enum",
      (d) => { d.spec.primaryUpdateStrategy = "automatic"; }, "must be one of unsupervised, supervised"],
  ];
  for (const [kind, what, plant, expected] of cases) {
    const found = pick(kind);
    if (!found) throw new Error(`self-check: no ${kind} rendered to plant a fault in`);
    const doc = structuredClone(found.doc);
    plant(doc);
    const errors = check(v, doc, found.name, found.configMaps);
    // Every error must be the one planted (a peer's ingress fault shows once per caller).
    if (errors.length === 0 || !errors.every((e) => e.includes(expected))) {
      throw new Error(`self-check (${what}) failed: expected only "${expected}", got ` +
        JSON.stringify(errors));
    }
  }
  // NetworkPolicy rules span objects: plant into a copy of a whole render.
  const policy = (docs, name) => docs.find((d) => d.kind === "NetworkPolicy" && d.metadata.name === name);
  const toApp = (app) => (r) => r.to?.some((t) => t.podSelector?.matchLabels?.["app.kubernetes.io/name"] === app);
  const toRegistry = toApp("registry");
  const toWorkforce = toApp("workforce");
  const deployment = (docs, name) => docs.find((x) => x.kind === "Deployment" && x.metadata.name === name);
  const netCases = [
    ["referrals egress to anywhere on 443",
      (docs) => { policy(docs, "referrals").spec.egress.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 443 }] }); },
      "which is not the database, DNS or a peer"],
    ["referrals egress to the registry's metrics port",
      (docs) => { policy(docs, "referrals").spec.egress.find(toRegistry).ports.push({ port: 9001, protocol: "TCP" }); },
      "which is not the database, DNS or a peer"],
    ["referrals egress without the registry",
      (docs) => { const np = policy(docs, "referrals"); np.spec.egress = np.spec.egress.filter((r) => !toRegistry(r)); },
      "egress does not allow PDPS_REGISTRY_ADDR"],
    ["registry ingress without referrals",
      (docs) => { policy(docs, "registry").spec.ingress[0].from[0].podSelector.matchLabels = { "app.kubernetes.io/name": "nobody" }; },
      "ingress does not admit it on port 7001 (PDPS_REGISTRY_ADDR)"],
    ["referrals service token optional",
      (docs) => {
        deployment(docs, "referrals").spec.template.spec.volumes.find((x) => x.name === "service-token").secret.optional = true;
      },
      "must be a required Secret"],
    // The registry reads workforce's event feed (PDPS_WORKFORCE_ADDR).
    ["registry egress without workforce",
      (docs) => { const np = policy(docs, "registry"); np.spec.egress = np.spec.egress.filter((r) => !toWorkforce(r)); },
      "egress does not allow PDPS_WORKFORCE_ADDR"],
    ["workforce ingress without the registry",
      (docs) => { policy(docs, "workforce").spec.ingress[0].from[0].podSelector.matchLabels = { "app.kubernetes.io/name": "nobody" }; },
      "ingress does not admit it on port 7004 (PDPS_WORKFORCE_ADDR)"],
    ["registry service token mounted through subPath",
      (docs) => {
        deployment(docs, "registry").spec.template.spec.containers[0].volumeMounts
          .find((m) => m.name === "service-token").subPath = "token";
      },
      "must be a required Secret"],
    // The registry declares only workforce, so no egress rule may name another service.
    ["registry egress to referrals",
      (docs) => { policy(docs, "registry").spec.egress.push({ to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "referrals" } } }], ports: [{ port: 7002, protocol: "TCP" }] }); },
      "which is not the database, DNS or a peer declared by a PDPS_*_ADDR setting (PDPS_WORKFORCE_ADDR)"],
  ];
  const base = renders.find((r) => ["referrals", "registry", "workforce"].every((n) => policy(r.docs, n)));
  if (!base) throw new Error("self-check: no render with the referrals, registry and workforce NetworkPolicies");
  for (const [what, plant, expected] of netCases) {
    const docs = structuredClone(base.docs);
    plant(docs);
    const errors = networkErrors({ ...base, docs });
    // Every error must be the one planted (a peer's ingress fault shows once per caller).
    if (errors.length === 0 || !errors.every((e) => e.includes(expected))) {
      throw new Error(`self-check (${what}) failed: expected only "${expected}", got ` +
        JSON.stringify(errors));
    }
  }
  return cases.length + netCases.length;
}

function main() {
  const renders = process.argv.slice(2).map((arg) => {
    const [name, file] = arg.split("=");
    const docs = YAML.parseAllDocuments(fs.readFileSync(file, "utf8")).map((d) => {
      if (d.errors.length) throw new Error(`${name}: YAML: ${d.errors[0].message}`);
      return d.toJS();
    }).filter(Boolean);
    const configMaps = new Map(docs.filter((d) => d.kind === "ConfigMap")
      .map((d) => [d.metadata.name, d.data ?? {}]));
    return { name, docs, configMaps };
  });
  const v = buildValidator();
  let objects = 0;
  const failures = [];
  for (const r of renders) {
    for (const doc of r.docs) {
      objects++;
      for (const e of check(v, doc, r.name, r.configMaps)) {
        failures.push(`${r.name}: ${doc.kind}/${doc.metadata?.name}: ${e}`);
      }
    }
    for (const e of networkErrors(r)) failures.push(`${r.name}: ${e}`);
  }
  if (failures.length) {
    for (const f of failures) console.error(`k8s: FAIL ${f}`);
    console.error(`k8s: ${failures.length} problem(s) in ${objects} objects in ${renders.length} renders`);
    process.exit(1);
  }
  // Only on a clean render: each planted fault must then be the one error reported.
  const planted = selfCheck(v, renders);
  console.log(`k8s: self-check refused ${planted} planted faults`);
  console.log(`k8s: ${objects} objects valid in ${renders.length} renders`);
}

try {
  main();
} catch (e) {
  console.error(`k8s: ${e.message}`);
  process.exit(1);
}
