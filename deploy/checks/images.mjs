// One build, both deployments: every image the rendered Kubernetes manifests run is either
//  - one of deploy/docker/Dockerfile's targets (imdb-stream/<target>) tagged with the project version of
//    pom.xml, and the very image docker compose builds (docker-compose.yml, docker-compose.gpu.yml, their
//    defaults), or
//  - a third-party image pinned by tag and digest (name:tag@sha256:...) whose name:tag docker compose runs too;
// and every image docker compose builds runs in some overlay.
// Usage: node images.mjs rendered.yaml [more.yaml ...] (all overlays at once); exit 1 on any mismatch.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const read = (path) => readFileSync(join(root, path), "utf8");
const errors = [];

const version = /<artifactId>imdb-stream-parent<\/artifactId>\s*<version>([^<]+)<\/version>/.exec(read("pom.xml"))?.[1];
if (!version) throw new Error("pom.xml: no version of imdb-stream-parent");

// The Dockerfile's targets: the stages no other stage builds on (FROM <stage>) or copies from (--from=<stage>).
const dockerfile = read("deploy/docker/Dockerfile");
const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)\s+AS\s+(\S+)/gim)].map((m) => ({ base: m[1], name: m[2] }));
const used = new Set([...stages.map((s) => s.base), ...[...dockerfile.matchAll(/--from=(\S+)/g)].map((m) => m[1])]);
const targets = stages.map((s) => s.name).filter((name) => !used.has(name));

// docker compose: ${VAR:-default} resolves to its default, as on a machine that sets none of the variables.
const resolve = (image) => image.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, "$1");
const withoutDigest = (image) => image.split("@")[0];
const composeBuilt = new Set();
const composeRun = new Set();
for (const file of ["docker-compose.yml", "docker-compose.gpu.yml"]) {
  for (const [name, service] of Object.entries(parse(read(file)).services ?? {})) {
    if (!service.image) continue;
    const image = resolve(service.image);
    composeRun.add(withoutDigest(image));
    if (service.build) {
      const expected = `imdb-stream/${service.build.target}:${version}`;
      if (image !== expected) errors.push(`${file}: service ${name} builds target ${service.build.target} as ${image}, expected ${expected}`);
      composeBuilt.add(image);
    }
  }
}

const k8sRun = new Set();
for (const file of process.argv.slice(2)) {
  for (const parsed of parseAllDocuments(readFileSync(file, "utf8"))) {
    const doc = parsed.toJS();
    const spec = doc?.spec?.template?.spec ?? doc?.spec?.jobTemplate?.spec?.template?.spec ?? (doc?.kind === "Pod" ? doc.spec : null);
    if (!spec) continue;
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      const where = `${file}: ${doc.kind} ${doc.metadata.name}, container ${c.name}: ${c.image}`;
      k8sRun.add(c.image);
      const own = /^imdb-stream\/([^:@]+):([^@]+)$/.exec(c.image);
      if (own) {
        if (!targets.includes(own[1])) errors.push(`${where}: not a target of deploy/docker/Dockerfile (${targets.join(", ")})`);
        if (own[2] !== version) errors.push(`${where}: tag ${own[2]}, the project version is ${version}`);
        if (!composeBuilt.has(c.image)) errors.push(`${where}: docker compose builds no such image (${[...composeBuilt].join(", ")})`);
      } else if (c.image.startsWith("imdb-stream/")) {
        errors.push(`${where}: expected imdb-stream/<target>:${version}`);
      } else if (!/^[^@:]+(\/[^@:]+)*:[^@:]+@sha256:[0-9a-f]{64}$/.test(c.image)) {
        errors.push(`${where}: a third-party image must be pinned as name:tag@sha256:<digest>`);
      } else if (!composeRun.has(withoutDigest(c.image))) {
        errors.push(`${where}: docker compose runs another version (${[...composeRun].filter((i) => !i.startsWith("imdb-stream/")).join(", ")})`);
      }
    }
  }
}
for (const image of composeBuilt) {
  if (!k8sRun.has(image)) errors.push(`docker compose builds ${image}, which no overlay runs`);
}

errors.forEach((e) => console.error(e));
console.log(`project version ${version}, Dockerfile targets ${targets.join(", ")}; ${k8sRun.size} images in the overlays, `
  + `${composeBuilt.size} built by docker compose: ${errors.length} mismatches`);
process.exit(errors.length ? 1 : 0);
