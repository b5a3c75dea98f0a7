// Validates rendered Kubernetes manifests (kubectl kustomize output) offline, like `kubeconform -strict`:
//  - built-in kinds against the Kubernetes OpenAPI schemas of the oldest supported version (1.27: npm package
//    kubernetes-models 4.4.2, installed as kubernetes-models-1.27) and of the newest the npm registry has
//    (1.36: kubernetes-models 5.1.0): types, required fields, enums, formats. A field that one version lacks
//    fails there;
//  - ServiceMonitor against @kubernetes-models/prometheus-operator, ScaledObject against @kubernetes-models/keda;
//  - unknown fields (a typo such as `readinessProbes`) are errors too: the schema validators read every field
//    they know, so a field of the manifest that the validator never read is not in the schema;
//  - Strimzi resources (no schema package exists) get a structural check of the fields this project uses.
// Usage: node k8s-validate.mjs rendered.yaml [more.yaml ...]; exit 1 when any document is invalid.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseAllDocuments } from "yaml";

const require = createRequire(import.meta.url);
const packageRoot = (name) => dirname(require.resolve(`${name}/package.json`));
/** Schema sets of the built-in kinds: every document is validated against each. */
const KUBERNETES = [
  { version: "1.27", root: packageRoot("kubernetes-models-1.27") },
  { version: "1.36", root: packageRoot("kubernetes-models") },
];
/** Custom resources: one schema set each. */
const CUSTOM = {
  "monitoring.coreos.com": packageRoot("@kubernetes-models/prometheus-operator"),
  "keda.sh": packageRoot("@kubernetes-models/keda"),
};

/** The compiled JSON-schema validator of a kind: the model module names its schema file. */
async function schemaValidator(root, group, version, kind) {
  const base = join(root, group ?? "", version, kind);
  const modelFile = [`${base}.mjs`, `${base}.js`].find(existsSync);
  if (!modelFile) {
    return null;
  }
  const schema = /_schemas\/(\w+\.m?js)/.exec(readFileSync(modelFile, "utf8"));
  if (!schema) {
    return null;
  }
  const module = await import(pathToFileURL(join(root, "_schemas", schema[1])).href);
  return module.validate;
}

/** Errors of one document against one schema set (null: the set has no schema for its kind). */
async function schemaErrors(root, doc) {
  const [group, version] = doc.apiVersion.includes("/") ? doc.apiVersion.split("/") : [null, doc.apiVersion];
  const validate = await schemaValidator(root, group, version, doc.kind);
  if (!validate) {
    return null;
  }
  const seen = new WeakMap();
  const ok = validate(tracked(doc, seen));
  return ok ? unknownFields(doc, seen)
    : validate.errors.map((e) => `${e.instancePath || "/"}: ${e.message ?? e.keyword} ${JSON.stringify(e.params ?? {})}`);
}

/** Wraps data so that every property the validator reads, or enumerates, is recorded. */
function tracked(data, seen) {
  if (data === null || typeof data !== "object") {
    return data;
  }
  const keys = new Set();
  seen.set(data, keys);
  const children = new Map();
  return new Proxy(data, {
    get(target, key, receiver) {
      if (typeof key === "string") {
        keys.add(key);
        if (!children.has(key)) {
          children.set(key, tracked(target[key], seen));
        }
        return children.get(key);
      }
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      if (typeof key === "string") {
        keys.add(key);
      }
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      // A map-like field (labels, annotations, data): the validator enumerates it, every key is allowed.
      Reflect.ownKeys(target).forEach((k) => typeof k === "string" && keys.add(k));
      return Reflect.ownKeys(target);
    },
  });
}

function unknownFields(data, seen, path = "") {
  if (data === null || typeof data !== "object") {
    return [];
  }
  const keys = seen.get(data);
  if (!keys) {
    return [];
  }
  const found = [];
  for (const [key, value] of Object.entries(data)) {
    const here = Array.isArray(data) ? `${path}[${key}]` : `${path}.${key}`;
    if (!Array.isArray(data) && !keys.has(key)) {
      found.push(`${here}: unknown field`);
    } else {
      found.push(...unknownFields(value, seen, here));
    }
  }
  return found;
}

/** The Pod Security "restricted" settings that Strimzi's pod and container templates must carry. */
function restrictedTemplate(pod, containers, where, need) {
  const sc = pod?.securityContext ?? {};
  need(sc.runAsNonRoot === true, `${where}.pod.securityContext.runAsNonRoot: must be true (Pod Security restricted)`);
  need(["RuntimeDefault", "Localhost"].includes(sc.seccompProfile?.type), `${where}.pod.securityContext.seccompProfile: RuntimeDefault required`);
  for (const c of containers) {
    const csc = c?.securityContext ?? {};
    need(csc.allowPrivilegeEscalation === false, `${where}: container allowPrivilegeEscalation must be false`);
    need((csc.capabilities?.drop ?? []).includes("ALL"), `${where}: container capabilities must drop ALL`);
  }
}

/** Structural checks of the Strimzi resources (kafka.strimzi.io/v1beta2) that this project writes. */
function strimziErrors(doc) {
  const errors = [];
  const need = (cond, message) => cond || errors.push(message);
  const spec = doc.spec ?? {};
  const isInt = (v) => Number.isInteger(v) && v >= 0;
  const allowed = (obj, fields, where) => Object.keys(obj ?? {}).forEach((k) =>
    need(fields.includes(k), `${where}.${k}: unknown field`));
  switch (doc.kind) {
    case "Kafka":
      allowed(spec, ["kafka", "entityOperator", "cruiseControl", "kafkaExporter"], "spec");
      need(Array.isArray(spec.kafka?.listeners) && spec.kafka.listeners.length > 0, "spec.kafka.listeners: required, non-empty");
      for (const l of spec.kafka?.listeners ?? []) {
        need(typeof l.name === "string" && /^[a-z0-9]{1,11}$/.test(l.name), `listener ${l.name}: name must match [a-z0-9]{1,11}`);
        need(isInt(l.port) && l.port >= 9092, `listener ${l.name}: port must be an integer >= 9092`);
        need(["internal", "route", "loadbalancer", "nodeport", "ingress", "cluster-ip"].includes(l.type), `listener ${l.name}: unknown type ${l.type}`);
        need(typeof l.tls === "boolean", `listener ${l.name}: tls must be a boolean`);
        allowed(l, ["name", "port", "type", "tls", "authentication", "configuration", "networkPolicyPeers"], `listener ${l.name}`);
        allowed(l.configuration, ["brokers", "bootstrap", "useServiceDnsDomain"], `listener ${l.name}.configuration`);
        for (const b of l.configuration?.brokers ?? []) {
          need(isInt(b.broker), `listener ${l.name}: configuration.brokers[].broker must be a node id`);
          allowed(b, ["broker", "advertisedHost", "advertisedPort", "host", "nodePort", "annotations", "labels"], `listener ${l.name}.configuration.brokers[]`);
        }
      }
      for (const l of spec.kafka?.listeners ?? []) {
        need(l.authentication === undefined || ["scram-sha-512", "tls", "oauth", "custom"].includes(l.authentication.type), `listener ${l.name}: unknown authentication type ${l.authentication?.type}`);
      }
      need(spec.kafka?.authorization === undefined || ["simple", "opa", "keycloak", "custom"].includes(spec.kafka.authorization.type), `spec.kafka.authorization.type: unknown ${spec.kafka?.authorization?.type}`);
      need(doc.metadata?.annotations?.["strimzi.io/node-pools"] === "enabled", "metadata.annotations: strimzi.io/node-pools: enabled is required with KafkaNodePools");
      allowed(spec.entityOperator, ["topicOperator", "userOperator", "template"], "spec.entityOperator");
      allowed(spec.entityOperator?.template, ["pod", "topicOperatorContainer", "userOperatorContainer", "deployment", "serviceAccount", "entityOperatorRole", "topicOperatorRoleBinding", "userOperatorRoleBinding"], "spec.entityOperator.template");
      restrictedTemplate(spec.entityOperator?.template?.pod, [spec.entityOperator?.template?.topicOperatorContainer,
        ...(spec.entityOperator?.userOperator ? [spec.entityOperator?.template?.userOperatorContainer] : [])], "spec.entityOperator.template", need);
      break;
    case "KafkaUser":
      allowed(spec, ["authentication", "authorization", "quotas", "template"], "spec");
      need(typeof doc.metadata?.labels?.["strimzi.io/cluster"] === "string", "metadata.labels.strimzi.io/cluster: required");
      need(["scram-sha-512", "tls", "tls-external"].includes(spec.authentication?.type), "spec.authentication.type: scram-sha-512, tls or tls-external");
      need(spec.authorization?.type === "simple", "spec.authorization.type: simple");
      for (const a of spec.authorization?.acls ?? []) {
        allowed(a, ["resource", "operations", "host", "type"], "spec.authorization.acls[]");
        need(["topic", "group", "cluster", "transactionalId"].includes(a.resource?.type), `acl: unknown resource type ${a.resource?.type}`);
        need(a.resource?.type === "cluster" || typeof a.resource?.name === "string", "acl: resource.name required");
        need(a.resource?.patternType === undefined || ["literal", "prefix"].includes(a.resource.patternType), `acl: patternType literal or prefix, not ${a.resource?.patternType}`);
        need(Array.isArray(a.operations) && a.operations.length > 0 && a.operations.every((o) => ["Read", "Write", "Create",
          "Delete", "Alter", "Describe", "ClusterAction", "AlterConfigs", "DescribeConfigs", "IdempotentWrite", "All"].includes(o)),
        `acl on ${a.resource?.name}: operations must be Strimzi's (Read, Write, ...), got ${a.operations}`);
      }
      break;
    case "KafkaNodePool":
      allowed(spec, ["replicas", "roles", "storage", "resources", "jvmOptions", "template"], "spec");
      need(isInt(spec.replicas), "spec.replicas: required integer");
      need(Array.isArray(spec.roles) && spec.roles.length > 0 && spec.roles.every((r) => r === "controller" || r === "broker"), "spec.roles: controller and/or broker");
      need(["jbod", "persistent-claim", "ephemeral"].includes(spec.storage?.type), "spec.storage.type: jbod, persistent-claim or ephemeral");
      need(typeof doc.metadata?.labels?.["strimzi.io/cluster"] === "string", "metadata.labels.strimzi.io/cluster: required");
      allowed(spec.template, ["pod", "kafkaContainer", "initContainer", "perPodService", "perPodRoute", "perPodIngress", "persistentVolumeClaim", "podSet"], "spec.template");
      restrictedTemplate(spec.template?.pod, [spec.template?.kafkaContainer], "spec.template", need);
      break;
    case "KafkaTopic":
      allowed(spec, ["topicName", "partitions", "replicas", "config"], "spec");
      need(isInt(spec.partitions) && spec.partitions > 0, "spec.partitions: required positive integer");
      need(isInt(spec.replicas) && spec.replicas > 0, "spec.replicas: required positive integer");
      need(typeof doc.metadata?.labels?.["strimzi.io/cluster"] === "string", "metadata.labels.strimzi.io/cluster: required");
      Object.entries(spec.config ?? {}).forEach(([k, v]) => need(["string", "number", "boolean"].includes(typeof v), `spec.config.${k}: scalar required`));
      break;
    default:
      errors.push(`no check for ${doc.kind}`);
  }
  return errors;
}

let invalid = 0;
let checked = 0;
for (const file of process.argv.slice(2)) {
  for (const parsed of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (parsed.errors.length) {
      console.error(`${file}: YAML error: ${parsed.errors[0].message}`);
      invalid++;
      continue;
    }
    const doc = parsed.toJS();
    if (!doc) {
      continue;
    }
    checked++;
    const name = `${file}: ${doc.apiVersion} ${doc.kind} ${doc.metadata?.namespace ?? ""}/${doc.metadata?.name}`;
    let errors = [];
    const group = doc.apiVersion?.split("/")[0];
    if (doc.apiVersion?.startsWith("kafka.strimzi.io/")) {
      errors = doc.apiVersion === "kafka.strimzi.io/v1beta2" ? strimziErrors(doc) : [`unsupported ${doc.apiVersion}`];
    } else if (CUSTOM[group]) {
      errors = (await schemaErrors(CUSTOM[group], doc)) ?? [`no schema for ${doc.apiVersion} ${doc.kind}`];
    } else {
      for (const k of KUBERNETES) {
        const found = await schemaErrors(k.root, doc);
        (found ?? [`no schema for ${doc.apiVersion} ${doc.kind}`]).forEach((e) => errors.push(`Kubernetes ${k.version}: ${e}`));
      }
    }
    if (errors.length) {
      invalid++;
      console.error(`INVALID ${name}`);
      errors.forEach((e) => console.error(`  ${e}`));
    }
  }
}
console.log(`${checked - invalid} of ${checked} documents valid (Kubernetes ${KUBERNETES.map((k) => k.version).join(" and ")} schemas)`);
process.exit(invalid ? 1 : 0);
