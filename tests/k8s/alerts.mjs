// Checks k8s/monitoring/alerts.yaml against the code and the runbook: every rule is a
// complete alert (expr, severity page|ticket, summary, runbook to docs/operations.md's
// "Alerts"), every pdps_* series it reads is one the services export (a metric name
// quoted in common/ or services/ C++ sources; histograms with _bucket/_count/_sum), and
// every alert has its row in the runbook's table, and every row its alert.
//   node alerts.mjs <repository root>
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";

const root = process.argv[2];
const problems = [];
const rulesFile = path.join(root, "k8s/monitoring/alerts.yaml");
const doc = YAML.parse(fs.readFileSync(rulesFile, "utf8"));

// Metric names the services register: quoted "pdps_..." in their sources.
const exported = new Set();
const walk = (dir) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.(cc|h)$/.test(e.name) && !/_test\.cc$/.test(e.name)) {
      for (const m of fs.readFileSync(p, "utf8").matchAll(/"(pdps_[a-z_]+)"/g)) exported.add(m[1]);
    }
  }
};
walk(path.join(root, "common"));
walk(path.join(root, "services"));
const known = (name) =>
  exported.has(name) || ["_bucket", "_count", "_sum"].some((s) => name.endsWith(s) && exported.has(name.slice(0, -s.length)));

// The runbook's table: the rows of the "## Alerts" section.
const ops = fs.readFileSync(path.join(root, "docs/operations.md"), "utf8");
const section = ops.split(/^## /m).find((s) => s.startsWith("Alerts\n")) ?? "";
if (!section) problems.push("docs/operations.md has no \"## Alerts\" section");
const rows = new Map();
for (const m of section.matchAll(/^\| `(\w+)` \| (\w+) \|/gm)) rows.set(m[1], m[2]);

const names = new Set();
const groups = Array.isArray(doc?.groups) ? doc.groups : [];
if (groups.length === 0) problems.push("alerts.yaml: no groups");
for (const g of groups) {
  for (const r of g.rules ?? []) {
    const at = `alerts.yaml ${r.alert ?? "(unnamed rule)"}`;
    if (!r.alert) { problems.push(`${at}: only alerting rules belong here`); continue; }
    if (names.has(r.alert)) problems.push(`${at}: named twice`);
    names.add(r.alert);
    if (typeof r.expr !== "string" || r.expr.trim() === "") problems.push(`${at}: no expr`);
    const severity = r.labels?.severity;
    if (!["page", "ticket"].includes(severity)) problems.push(`${at}: severity must be page or ticket, not ${severity}`);
    if (!r.annotations?.summary) problems.push(`${at}: no summary`);
    if (r.annotations?.runbook !== "docs/operations.md#alerts") problems.push(`${at}: runbook must be docs/operations.md#alerts`);
    if (r.for !== undefined && !/^\d+[smh]$/.test(r.for)) problems.push(`${at}: for: ${r.for} is not a duration`);
    for (const m of String(r.expr ?? "").matchAll(/\bpdps_[a-z_]+/g)) {
      if (!known(m[0])) problems.push(`${at}: ${m[0]} is not a metric any service exports`);
    }
    if (!rows.has(r.alert)) problems.push(`${at}: no row in docs/operations.md "Alerts"`);
    else if (rows.get(r.alert) !== severity) problems.push(`${at}: severity ${severity}, runbook says ${rows.get(r.alert)}`);
  }
}
for (const name of rows.keys()) if (!names.has(name)) problems.push(`docs/operations.md "Alerts": ${name} is not in alerts.yaml`);

if (problems.length) {
  for (const p of problems) console.error(`alerts: ${p}`);
  process.exit(1);
}
console.log(`alerts: ${names.size} alerts, each on exported metrics with a runbook row`);
