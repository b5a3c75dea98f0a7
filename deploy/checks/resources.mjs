// What an overlay asks of a cluster: the CPU and memory requests of all its pods at once (replicas, or an
// HPA's minimum where the HPA owns them; Jobs as one pod each, all running together), and the storage its
// volume claims request. With --fits CPU MEMORY it fails when the requests exceed that (k8s/overlays/local
// must fit what a 4-CPU / 8-GiB node has left beside Kubernetes' own pods).
// Usage: node resources.mjs rendered.yaml [--fits 3 6.5Gi]
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const UNITS = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9 };
const quantity = (q) => {
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(q ?? 0));
  return Number(m[1]) * (m[2] ? UNITS[m[2]] : 1);
};
const gib = (bytes) => (bytes / 2 ** 30).toFixed(1);

const [file, flag, cpuLimit, memoryLimit] = process.argv.slice(2);
const docs = parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS()).filter(Boolean);
const hpaMin = new Map(docs.filter((d) => d.kind === "HorizontalPodAutoscaler")
  .map((h) => [`${h.spec.scaleTargetRef.kind}/${h.spec.scaleTargetRef.name}`, h.spec.minReplicas ?? 1]));
let cpu = 0;
let memory = 0;
let storage = 0;
const lines = [];
for (const d of docs) {
  const template = d.kind === "Pod" ? d : d.spec?.template;
  if (template?.spec?.containers && ["Deployment", "StatefulSet", "Job", "Pod"].includes(d.kind)) {
    const pods = d.spec?.replicas ?? hpaMin.get(`${d.kind}/${d.metadata.name}`) ?? (d.kind === "Job" ? d.spec.parallelism ?? 1 : 1);
    const podCpu = template.spec.containers.reduce((s, c) => s + quantity(c.resources?.requests?.cpu), 0);
    const podMemory = template.spec.containers.reduce((s, c) => s + quantity(c.resources?.requests?.memory), 0);
    cpu += pods * podCpu;
    memory += pods * podMemory;
    lines.push(`  ${d.kind} ${d.metadata.name}: ${pods} x (${podCpu.toFixed(2)} CPU, ${gib(podMemory)} GiB)`);
  }
  if (d.kind === "PersistentVolumeClaim") {
    storage += quantity(d.spec.resources.requests.storage);
  }
  for (const claim of d.spec?.volumeClaimTemplates ?? []) {
    storage += (d.spec.replicas ?? 1) * quantity(claim.spec.resources.requests.storage);
  }
}
console.log(`${file}: requests ${cpu.toFixed(2)} CPU, ${gib(memory)} GiB memory; volume claims ${gib(storage)} GiB`);
lines.forEach((l) => console.log(l));
if (flag === "--fits" && (cpu > quantity(cpuLimit) || memory > quantity(memoryLimit))) {
  console.error(`more than ${cpuLimit} CPU / ${memoryLimit}: does not fit`);
  process.exit(1);
}
