// Checks every pod template of rendered manifests (kubectl kustomize output) against the Pod Security
// "restricted" standard (https://kubernetes.io/docs/concepts/security/pod-security-standards/, which includes
// "baseline"), as the namespace's `pod-security.kubernetes.io/enforce: restricted` label makes the API server
// do, and against this project's own rules: no service account token, requests and limits on every container,
// no `Always` pull policy. Also: every Namespace is labelled to enforce "restricted".
// Usage: node pod-security.mjs rendered.yaml [more.yaml ...]; exit 1 when any pod template fails.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const BASELINE_CAPABILITIES = ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
  "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"];
const SAFE_SYSCTLS = ["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"];
const SELINUX_TYPES = [undefined, "", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"];
const RESTRICTED_VOLUMES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
  "projected", "secret"];

/** The pod template of a workload, or null when the kind has none. */
function podTemplate(doc) {
  switch (doc.kind) {
    case "Pod":
      return doc;
    case "Deployment":
    case "StatefulSet":
    case "DaemonSet":
    case "ReplicaSet":
    case "Job":
      return doc.spec?.template;
    case "CronJob":
      return doc.spec?.jobTemplate?.spec?.template;
    default:
      return null;
  }
}

/** Violations of the restricted standard (baseline included) by one pod template. */
function restrictedViolations(template) {
  const v = [];
  const spec = template.spec ?? {};
  const psc = spec.securityContext ?? {};
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  const each = (check) => containers.forEach((c) => check(c, c.securityContext ?? {}, `container ${c.name}`));

  // ---- baseline ----
  if (psc.windowsOptions?.hostProcess) v.push("hostProcess");
  each((c, sc, n) => sc.windowsOptions?.hostProcess && v.push(`${n}: hostProcess`));
  for (const ns of ["hostNetwork", "hostPID", "hostIPC"]) {
    if (spec[ns]) v.push(`${ns}: true`);
  }
  each((c, sc, n) => sc.privileged && v.push(`${n}: privileged`));
  each((c, sc, n) => (sc.capabilities?.add ?? []).filter((a) => !BASELINE_CAPABILITIES.includes(a))
    .forEach((a) => v.push(`${n}: adds capability ${a}`)));
  (spec.volumes ?? []).filter((vol) => vol.hostPath).forEach((vol) => v.push(`volume ${vol.name}: hostPath`));
  each((c, sc, n) => (c.ports ?? []).filter((p) => p.hostPort).forEach((p) => v.push(`${n}: hostPort ${p.hostPort}`)));
  Object.entries(template.metadata?.annotations ?? {})
    .filter(([k, val]) => k.startsWith("container.apparmor.security.beta.kubernetes.io/")
      && !(val === "runtime/default" || val.startsWith("localhost/")))
    .forEach(([k, val]) => v.push(`annotation ${k}: ${val}`));
  const appArmorOk = (p) => p === undefined || ["RuntimeDefault", "Localhost"].includes(p.type);
  if (!appArmorOk(psc.appArmorProfile)) v.push(`appArmorProfile ${psc.appArmorProfile.type}`);
  each((c, sc, n) => appArmorOk(sc.appArmorProfile) || v.push(`${n}: appArmorProfile ${sc.appArmorProfile.type}`));
  const seLinuxOk = (o) => o === undefined || (SELINUX_TYPES.includes(o.type) && !o.user && !o.role);
  if (!seLinuxOk(psc.seLinuxOptions)) v.push("seLinuxOptions");
  each((c, sc, n) => seLinuxOk(sc.seLinuxOptions) || v.push(`${n}: seLinuxOptions`));
  each((c, sc, n) => sc.procMount && sc.procMount !== "Default" && v.push(`${n}: procMount ${sc.procMount}`));
  (psc.sysctls ?? []).filter((s) => !SAFE_SYSCTLS.includes(s.name)).forEach((s) => v.push(`sysctl ${s.name}`));

  // ---- restricted ----
  (spec.volumes ?? []).forEach((vol) => {
    const type = Object.keys(vol).find((k) => k !== "name");
    if (!RESTRICTED_VOLUMES.includes(type)) v.push(`volume ${vol.name}: type ${type}`);
  });
  each((c, sc, n) => sc.allowPrivilegeEscalation !== false && v.push(`${n}: allowPrivilegeEscalation must be false`));
  each((c, sc, n) => {
    if (sc.runAsNonRoot === false || (sc.runAsNonRoot !== true && psc.runAsNonRoot !== true)) {
      v.push(`${n}: runAsNonRoot must be true (pod or container)`);
    }
  });
  if (psc.runAsUser === 0) v.push("runAsUser 0");
  each((c, sc, n) => sc.runAsUser === 0 && v.push(`${n}: runAsUser 0`));
  const seccompOk = (p) => ["RuntimeDefault", "Localhost"].includes(p?.type);
  if (psc.seccompProfile && !seccompOk(psc.seccompProfile)) v.push(`seccompProfile ${psc.seccompProfile.type}`);
  each((c, sc, n) => {
    if (sc.seccompProfile ? !seccompOk(sc.seccompProfile) : !seccompOk(psc.seccompProfile)) {
      v.push(`${n}: seccompProfile must be RuntimeDefault or Localhost (pod or container)`);
    }
  });
  each((c, sc, n) => {
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) v.push(`${n}: capabilities must drop ALL`);
    (sc.capabilities?.add ?? []).filter((a) => a !== "NET_BIND_SERVICE").forEach((a) => v.push(`${n}: adds ${a}`));
  });
  return v;
}

/** This project's rules beyond the standard. */
function projectViolations(template) {
  const v = [];
  const spec = template.spec ?? {};
  if (spec.automountServiceAccountToken !== false) v.push("automountServiceAccountToken must be false");
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    for (const kind of ["requests", "limits"]) {
      for (const r of ["cpu", "memory"]) {
        if (c.resources?.[kind]?.[r] === undefined) v.push(`container ${c.name}: no ${r} ${kind.slice(0, -1)}`);
      }
    }
    if (c.imagePullPolicy !== "IfNotPresent") v.push(`container ${c.name}: imagePullPolicy must be IfNotPresent`);
  }
  return v;
}

let templates = 0;
let namespaces = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  for (const parsed of parseAllDocuments(readFileSync(file, "utf8"))) {
    const doc = parsed.toJS();
    if (!doc) continue;
    const name = `${doc.kind} ${doc.metadata?.name}`;
    let violations = [];
    if (doc.kind === "Namespace") {
      namespaces++;
      if (doc.metadata?.labels?.["pod-security.kubernetes.io/enforce"] !== "restricted") {
        violations = ["label pod-security.kubernetes.io/enforce: restricted missing"];
      }
    } else {
      const template = podTemplate(doc);
      if (!template) continue;
      templates++;
      violations = [...restrictedViolations(template).map((m) => `restricted: ${m}`), ...projectViolations(template)];
    }
    if (violations.length) {
      failed++;
      console.error(`${file}: ${name}`);
      violations.forEach((m) => console.error(`  ${m}`));
    }
  }
}
console.log(`${templates} pod templates and ${namespaces} namespace(s) checked against Pod Security "restricted" and the project's rules: ${failed} failing`);
process.exit(failed ? 1 : 0);
