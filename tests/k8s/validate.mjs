// Validates rendered manifests offline: every object against its JSON schema with unknown
// fields rejected, then PDPS's own rules for workloads and Services.
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
    }
    if (doc.kind === "Deployment") {
      for (const c of pod.containers ?? []) {
        if (!c.readinessProbe?.grpc) errors.push(`container ${c.name}: needs a grpc readinessProbe`);
        if (!c.livenessProbe?.grpc) errors.push(`container ${c.name}: needs a grpc livenessProbe`);
        // SIGTERM drains for PDPS_SHUTDOWN_GRACE: the kubelet must wait longer than that.
        const fromEnv = (c.env ?? []).find((e) => e.name === "PDPS_SHUTDOWN_GRACE")?.value;
        const fromMaps = (c.envFrom ?? []).map((f) => configMaps.get(f.configMapRef?.name))
          .find((data) => data?.PDPS_SHUTDOWN_GRACE)?.PDPS_SHUTDOWN_GRACE;
        const grace = seconds(fromEnv ?? fromMaps ?? "20s");
        const period = pod.terminationGracePeriodSeconds ?? 30;
        if (!(period > grace)) {
          errors.push(`pod: terminationGracePeriodSeconds (${period}) must exceed PDPS_SHUTDOWN_GRACE (${grace}s)`);
        }
      }
    }
  }
  if (doc.kind === "Service" && !(doc.spec?.ports ?? []).some((p) => p.name === "grpc")) {
    errors.push("spec.ports: needs a port named grpc");
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
    if (errors.length !== 1 || !errors[0].includes(expected)) {
      throw new Error(`self-check (${what}) failed: expected only "${expected}", got ` +
        JSON.stringify(errors));
    }
  }
  return cases.length;
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
