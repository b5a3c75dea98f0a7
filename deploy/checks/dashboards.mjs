// Every query of every panel of grafana/dashboards/*.json, expanded the way Grafana expands it, then either
//   node dashboards.mjs rules OUT.yml          writes them as recording rules, for `promtool check rules` (syntax)
//   node dashboards.mjs names                  checks that the services' sources declare every metric they use
//   node dashboards.mjs live PROMETHEUS_URL START_EPOCH_S
//                                              asks a real Prometheus and fails for any query without data
// Expansion: template variables come from their label_values() queries (live: through Prometheus' series API;
// rules: a placeholder value). A panel repeated by a variable (or inside a row repeated by one) is expanded
// once per value with that single value; other multi-value variables become Grafana's regex (a|b|c).
// Grafana's interval macros get fixed values that suit a scrape interval of a few seconds.
// A query "returns data" when at least one of its series has a finite value in [START, now]. Metric names that
// exist only after a rare event (a failed run) are listed in event-metrics.txt; the live check verifies that
// they are declared in the services' sources and that their panels still return data (`or vector(0)`).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const dashboardsDir = join(root, "grafana", "dashboards");
const MACROS = { __rate_interval: "30s", __interval: "5s", __range: "15m" };

function dashboards() {
  return readdirSync(dashboardsDir).filter((f) => f.endsWith(".json")).sort()
    .map((f) => ({ file: f, json: JSON.parse(readFileSync(join(dashboardsDir, f), "utf8")) }));
}

/** Panels in layout order with the variable their row repeats by (rows may be collapsed, holding panels). */
function panels(dashboard) {
  const out = [];
  let rowRepeat = null;
  for (const p of dashboard.panels ?? []) {
    if (p.type === "row") {
      rowRepeat = p.repeat ?? null;
      for (const inner of p.panels ?? []) {
        out.push({ panel: inner, rowRepeat });
      }
      continue;
    }
    out.push({ panel: p, rowRepeat });
  }
  return out;
}

const escapeRegex = (v) => v.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");

function interpolate(text, values) {
  return text.replace(/\$(\w+)|\$\{(\w+)(?::\w+)?\}/g, (match, a, b) => {
    const name = a ?? b;
    if (name in MACROS) {
      return MACROS[name];
    }
    if (!(name in values)) {
      return match;
    }
    const v = values[name];
    return v.length === 1 ? escapeRegex(v[0]) : `(${v.map(escapeRegex).join("|")})`;
  });
}

/** label_values(metric{selector}, label) or label_values(label): the only variable query form used here. */
function parseLabelValues(query) {
  const m = /^label_values\((?:(.+),\s*)?(\w+)\)$/.exec(query.trim());
  if (!m) {
    throw new Error(`unsupported variable query: ${query}`);
  }
  return { selector: m[1] ?? null, label: m[2] };
}

async function promGet(base, path, params) {
  const url = new URL(path, base);
  for (const [k, v] of Object.entries(params)) {
    [].concat(v).forEach((x) => url.searchParams.append(k, x));
  }
  const res = await fetch(url);
  const body = await res.json();
  if (body.status !== "success") {
    throw new Error(`${url}: ${body.error ?? res.status}`);
  }
  return body.data;
}

async function variableValues(dashboard, resolve) {
  const values = {};
  for (const v of dashboard.templating?.list ?? []) {
    if (v.type !== "query") {
      throw new Error(`${dashboard.uid}: variable ${v.name} of type ${v.type} is not supported by the check`);
    }
    const query = typeof v.query === "string" ? v.query : v.query.query;
    const { selector, label } = parseLabelValues(query);
    values[v.name] = await resolve(selector ? interpolate(selector, values) : null, label);
    if (!values[v.name].length) {
      throw new Error(`${dashboard.uid}: variable ${v.name} (${query}) has no values`);
    }
  }
  return values;
}

/** Every (panel title, refId, expanded expression) of a dashboard. */
function expand(dashboard, values) {
  const out = [];
  for (const { panel, rowRepeat } of panels(dashboard)) {
    const repeats = [rowRepeat, panel.repeat].filter(Boolean);
    let combos = [{}];
    for (const name of repeats) {
      combos = combos.flatMap((c) => values[name].map((v) => ({ ...c, [name]: [v] })));
    }
    for (const combo of combos) {
      const vals = { ...values, ...combo };
      for (const t of panel.targets ?? []) {
        out.push({
          panel: interpolate(panel.title, vals),
          ref: t.refId,
          expr: interpolate(t.expr, vals),
        });
      }
    }
  }
  return out;
}

/** Metric names of an expression: identifiers followed by a selector or standing alone, minus PromQL words. */
function metricNames(expr) {
  const words = new Set(["sum", "avg", "min", "max", "count", "stddev", "stdvar", "by", "without", "on", "ignoring",
    "group_left", "group_right", "or", "and", "unless", "rate", "irate", "increase", "histogram_quantile", "vector",
    "bool", "offset", "topk", "bottomk", "quantile", "abs", "clamp_min", "clamp_max", "label_replace", "time",
    "scalar", "sort", "sort_desc", "delta", "deriv", "le", "group"]);
  const stripped = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\[[^\]]*\]/g, "");
  const labelsLists = /\b(?:by|without|on|ignoring)\s*\(([^)]*)\)/g;
  const labels = new Set();
  for (const m of stripped.matchAll(labelsLists)) {
    m[1].split(",").map((s) => s.trim()).forEach((l) => labels.add(l));
  }
  const names = new Set();
  for (const m of stripped.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)) {
    const w = m[1];
    if (!words.has(w) && !labels.has(w) && !/^\d/.test(w) && !/^(e|Inf|NaN)$/.test(w)) {
      names.add(w);
    }
  }
  // Label names inside selectors: drop identifiers directly followed by =, !=, =~ or !~.
  for (const m of stripped.matchAll(/\b([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)) {
    names.delete(m[1]);
  }
  return [...names];
}

function eventMetrics() {
  const file = join(here, "event-metrics.txt");
  const out = new Map();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)\s+(\S+)\s+(.+)$/.exec(line.trim());
    if (m && !line.trim().startsWith("#")) {
      out.set(m[1], { micrometerName: m[2], why: m[3] });
    }
  }
  return out;
}

function sourceDeclares(micrometerName) {
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === "target" || e.name === "node_modules" || e.name.startsWith(".")) {
        continue;
      }
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        walk(p);
      } else if (e.name.endsWith(".java") && p.includes(`${join("src", "main")}`)) {
        files.push(p);
      }
    }
  };
  walk(root);
  return files.some((f) => readFileSync(f, "utf8").includes(`"${micrometerName}"`));
}

async function rules(outFile) {
  const lines = ["# Generated by deploy/checks/dashboards.mjs for `promtool check rules`: every panel query, expanded.", "groups:"];
  for (const { file, json } of dashboards()) {
    const values = await variableValues(json, async () => ["placeholder"]);
    lines.push(`  - name: ${json.uid}`, "    rules:");
    expand(json, values).forEach((q, i) => {
      lines.push(`      - record: dashboard:${json.uid.replace(/-/g, "_")}:${i}`);
      lines.push(`        expr: ${JSON.stringify(q.expr)}`);
    });
    console.log(`${file}: ${expand(json, values).length} queries`);
  }
  writeFileSync(outFile, lines.join("\n") + "\n");
}

async function live(base, start) {
  const end = Math.floor(Date.now() / 1000);
  const step = Math.max(2, Math.ceil((end - start) / 500));
  const known = new Set(await promGet(base, "/api/v1/label/__name__/values", {}));
  const events = eventMetrics();
  let failures = 0;
  let queryFailures = 0;
  let total = 0;
  const usedNames = new Set();
  for (const { file, json } of dashboards()) {
    const values = await variableValues(json, async (selector, label) => {
      const series = await promGet(base, "/api/v1/series", { "match[]": selector ?? `{${label}!=""}`, start, end });
      return [...new Set(series.map((s) => s[label]).filter((v) => v !== undefined))].sort();
    });
    console.log(`${file}: variables ${JSON.stringify(values)}`);
    for (const q of expand(json, values)) {
      total++;
      const data = await promGet(base, "/api/v1/query_range", { query: q.expr, start, end, step });
      const finite = data.result.filter((s) => s.values.some(([, v]) => Number.isFinite(Number(v))));
      const ok = finite.length > 0;
      metricNames(q.expr).forEach((n) => usedNames.add(n));
      if (!ok) {
        failures++;
        queryFailures++;
      }
      console.log(`${ok ? "ok  " : "FAIL"} ${file} · ${q.panel} · ${q.ref}: ${finite.length} series with data  ${q.expr}`);
    }
  }
  for (const name of [...usedNames].sort()) {
    if (known.has(name)) {
      continue;
    }
    const event = events.get(name);
    if (event && sourceDeclares(event.micrometerName)) {
      console.log(`note ${name}: not scraped in this run (${event.why}); declared as "${event.micrometerName}" in the sources`);
      continue;
    }
    failures++;
    console.log(`FAIL ${name}: used by a panel, but no service exported it${event ? ` and no source declares "${event.micrometerName}"` : ""}`);
  }
  console.log(`dashboards: ${total - queryFailures} passed, ${failures} failed`);
  return failures === 0;
}

/** Micrometer names a Prometheus name can come from: `a_b_total` from "a.b", `a_b_seconds_count` from "a.b", ... */
function micrometerCandidates(name) {
  const bases = new Set([name]);
  for (const suffix of ["_total", "_bucket", "_count", "_sum", "_max"]) {
    if (name.endsWith(suffix)) {
      bases.add(name.slice(0, -suffix.length));
    }
  }
  for (const b of [...bases]) {
    if (b.endsWith("_seconds")) {
      bases.add(b.slice(0, -"_seconds".length));
    }
  }
  return [...bases].map((b) => b.replace(/_/g, "."));
}

/** Offline: every metric name of every panel is declared by a service's sources (Micrometer names). */
async function names() {
  const external = /^kafka_/; // Kafka clients' own metrics, bound by Quarkus' Micrometer Kafka binder
  const missing = [];
  const used = new Set();
  for (const { json } of dashboards()) {
    const values = await variableValues(json, async () => ["placeholder"]);
    expand(json, values).forEach((q) => metricNames(q.expr).forEach((n) => used.add(n)));
    for (const v of json.templating?.list ?? []) {
      const { selector } = parseLabelValues(typeof v.query === "string" ? v.query : v.query.query);
      (selector ? metricNames(selector) : []).forEach((n) => used.add(n));
    }
  }
  for (const name of [...used].sort()) {
    if (external.test(name)) {
      console.log(`external ${name} (Kafka client metric)`);
      continue;
    }
    const found = micrometerCandidates(name).find((c) => sourceDeclares(c));
    if (found) {
      console.log(`ok ${name} <- "${found}"`);
    } else {
      missing.push(name);
      console.log(`MISSING ${name}: no service source declares any of ${JSON.stringify(micrometerCandidates(name))}`);
    }
  }
  return missing.length === 0;
}

const [mode, ...args] = process.argv.slice(2);
if (mode === "rules" && args.length === 1) {
  await rules(args[0]);
} else if (mode === "names" && args.length === 0) {
  process.exit((await names()) ? 0 : 1);
} else if (mode === "live" && args.length === 2) {
  process.exit((await live(args[0], Number(args[1]))) ? 0 : 1);
} else {
  console.error("usage: node dashboards.mjs rules OUT.yml | names | live PROMETHEUS_URL START_EPOCH_S");
  process.exit(2);
}
