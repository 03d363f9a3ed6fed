// Validates rendered manifests offline and strictly: every field of every object must
// exist in the Kubernetes API (the official client's generated models) or in our
// CloudNativePG transcription (cnpg-types.mjs), with the right type; then PDPS's own
// rules (non-root, read-only root, no capabilities, resources, probes, named ports).
// Usage: node validate.mjs render1.yaml [render2.yaml ...]
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import YAML from "yaml";
import { cnpgTypes, cnpgEnums } from "./cnpg-types.mjs";

const modelsDir = path.join(path.dirname(new URL(import.meta.url).pathname),
  "node_modules/@kubernetes/client-node/dist/gen/models");
const models = new Map();
async function model(name) {
  if (models.has(name)) return models.get(name);
  const file = path.join(modelsDir, `${name}.js`);
  let m = null;
  if (fs.existsSync(file)) {
    const mod = await import(file);
    const cls = mod[name];
    if (cls && typeof cls.getAttributeTypeMap === "function") {
      const fields = {};
      for (const a of cls.getAttributeTypeMap()) fields[a.baseName] = a.type;
      m = { fields };
    }
  }
  models.set(name, m);
  return m;
}

// apiVersion/kind → root type name.
const roots = {
  "v1/Namespace": "V1Namespace", "v1/ConfigMap": "V1ConfigMap", "v1/Secret": "V1Secret",
  "v1/Service": "V1Service", "v1/ServiceAccount": "V1ServiceAccount",
  "apps/v1/Deployment": "V1Deployment", "batch/v1/Job": "V1Job",
  "policy/v1/PodDisruptionBudget": "V1PodDisruptionBudget",
  "autoscaling/v2/HorizontalPodAutoscaler": "V2HorizontalPodAutoscaler",
  "networking.k8s.io/v1/NetworkPolicy": "V1NetworkPolicy",
  "postgresql.cnpg.io/v1/Cluster": "cnpg:Cluster",
  "postgresql.cnpg.io/v1/ScheduledBackup": "cnpg:ScheduledBackup",
};

async function check(value, type, where, errors) {
  if (value === null || value === undefined) return;
  if (type === "any" || type === "object" || type === "Date" && typeof value === "string") {
    return;
  }
  if (type === "string") {
    if (typeof value !== "string") errors.push(`${where}: expected a string`);
    return;
  }
  if (type === "number") {
    if (typeof value !== "number") errors.push(`${where}: expected a number`);
    return;
  }
  if (type === "boolean") {
    if (typeof value !== "boolean") errors.push(`${where}: expected true or false`);
    return;
  }
  if (type === "IntOrString") {
    if (typeof value !== "number" && typeof value !== "string") {
      errors.push(`${where}: expected a number or a string`);
    }
    return;
  }
  let m = type.match(/^Array<(.+)>$/);
  if (m) {
    if (!Array.isArray(value)) return errors.push(`${where}: expected a list`);
    for (let i = 0; i < value.length; i++) await check(value[i], m[1], `${where}[${i}]`, errors);
    return;
  }
  m = type.match(/^\{ \[key: string\]: (.+); \}$/);
  if (m) {
    if (typeof value !== "object" || Array.isArray(value)) return errors.push(`${where}: expected a map`);
    for (const [k, v] of Object.entries(value)) await check(v, m[1], `${where}.${k}`, errors);
    return;
  }
  const local = type.startsWith("cnpg:") ? type.slice(5) : null;
  const def = local ? cnpgTypes[local] : (cnpgTypes[type] && !(await model(type)) ? cnpgTypes[type] : await model(type));
  if (!def) return errors.push(`${where}: validator has no type ${type}`);
  if (typeof value !== "object" || Array.isArray(value)) return errors.push(`${where}: expected an object`);
  const typeName = local ?? type;
  for (const [k, v] of Object.entries(value)) {
    if (!(k in def.fields)) {
      errors.push(`${where}.${k}: unknown field (not in ${typeName})`);
      continue;
    }
    let fieldType = def.fields[k];
    if (local && cnpgTypes[fieldType]) fieldType = `cnpg:${fieldType}`;
    const allowed = cnpgEnums[`${typeName}.${k}`];
    if (allowed && !allowed.includes(v)) errors.push(`${where}.${k}: must be one of ${allowed.join(", ")}`);
    await check(v, fieldType, `${where}.${k}`, errors);
  }
}

// PDPS rules for workloads and services.
function policy(doc, where, errors) {
  const kind = doc.kind;
  if (kind === "Deployment" || kind === "Job") {
    const pod = doc.spec?.template?.spec ?? {};
    if (pod.securityContext?.runAsNonRoot !== true) errors.push(`${where}: pod must set runAsNonRoot`);
    if (pod.automountServiceAccountToken !== false) {
      errors.push(`${where}: pod must not mount a service account token`);
    }
    for (const c of pod.containers ?? []) {
      const w = `${where} container ${c.name}`;
      const sc = c.securityContext ?? {};
      if (sc.readOnlyRootFilesystem !== true) errors.push(`${w}: readOnlyRootFilesystem must be true`);
      if (sc.allowPrivilegeEscalation !== false) errors.push(`${w}: allowPrivilegeEscalation must be false`);
      if (!(sc.capabilities?.drop ?? []).includes("ALL")) errors.push(`${w}: must drop ALL capabilities`);
      for (const r of ["requests", "limits"]) {
        if (!c.resources?.[r]?.cpu && r === "requests") errors.push(`${w}: resources.requests.cpu missing`);
        if (!c.resources?.[r]?.memory) errors.push(`${w}: resources.${r}.memory missing`);
      }
      if (kind === "Deployment") {
        if (!c.readinessProbe?.grpc) errors.push(`${w}: needs a grpc readinessProbe`);
        if (!c.livenessProbe?.grpc) errors.push(`${w}: needs a grpc livenessProbe`);
      }
    }
  }
  if (kind === "Service" && !(doc.spec?.ports ?? []).some((p) => p.name === "grpc")) {
    errors.push(`${where}: needs a port named grpc`);
  }
}

async function validateDoc(doc, where) {
  const errors = [];
  const key = `${doc.apiVersion}/${doc.kind}`;
  const root = roots[key];
  if (!root) return [`${where}: ${key} is not a kind PDPS deploys (add it to the validator)`];
  await check(doc, root, where, errors);
  policy(doc, where, errors);
  return errors;
}

// Proves the check is strict: an unknown container field must be refused.
async function selfCheck() {
  const bad = {
    apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "bad" },
    spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } },
      spec: { containers: [{ name: "c", image: "i", imagePullPolicyy: "Always" }] } } },
  };
  const errors = await validateDoc(bad, "self-check");
  if (!errors.some((e) => e.includes("imagePullPolicyy: unknown field"))) {
    throw new Error("self-check failed: an unknown field was not rejected");
  }
  const badDb = { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name: "x" },
    spec: { instances: 1, storage: { size: "1Gi", sise: "2Gi" } } };
  if (!(await validateDoc(badDb, "self-check")).some((e) => e.includes("sise: unknown field"))) {
    throw new Error("self-check failed: an unknown CloudNativePG field was not rejected");
  }
}

await selfCheck();
let objects = 0;
let failures = [];
for (const file of process.argv.slice(2)) {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, "utf8"));
  for (const d of docs) {
    if (d.errors.length) {
      failures.push(`${file}: YAML error ${d.errors[0].message}`);
      continue;
    }
    const doc = d.toJS();
    if (!doc) continue;
    objects++;
    const where = `${path.basename(file)}: ${doc.kind}/${doc.metadata?.name}`;
    failures = failures.concat(await validateDoc(doc, where));
  }
}
if (failures.length) {
  for (const f of failures) console.error(`k8s: ${f}`);
  console.error(`k8s: ${failures.length} problem(s) in ${objects} objects`);
  process.exit(1);
}
console.log(`k8s: ${objects} objects valid in ${process.argv.length - 2} renders (strict)`);
