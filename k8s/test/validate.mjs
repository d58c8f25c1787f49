// Renders each overlay with `kubectl kustomize`, validates every object against the Kubernetes (and
// Prometheus Operator and KEDA) JSON schemas, and checks the rules every deployment of rewardgate must keep:
// non-root, read-only, no capabilities, pinned images, sized resources, probes on the management port, no
// secret values, and Services, probes and ServiceMonitors that name ports which exist.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const overlays = join(dirname(fileURLToPath(import.meta.url)), '..', 'overlays');

function kubectlAvailable() {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function modelClass(apiVersion, kind) {
  const pkg = apiVersion.startsWith('monitoring.coreos.com/')
    ? '@kubernetes-models/prometheus-operator'
    : apiVersion.startsWith('keda.sh/')
      ? '@kubernetes-models/keda'
      : 'kubernetes-models';
  try {
    return (await import(`${pkg}/${apiVersion}/${kind}`))[kind];
  } catch {
    return undefined;
  }
}

async function validate(object) {
  const Model = await modelClass(object.apiVersion, object.kind);
  if (!Model) {
    return [`no schema for ${object.apiVersion} ${object.kind}`];
  }
  try {
    new Model(object).validate();
    return [];
  } catch (e) {
    return [e.message];
  }
}

function policy(objects) {
  const problems = [];
  const services = objects.filter((o) => o.kind === 'Service');
  for (const d of objects.filter((o) => o.kind === 'Deployment')) {
    const pod = d.spec.template.spec;
    const where = `Deployment ${d.metadata.name}`;
    if (pod.securityContext?.runAsNonRoot !== true) problems.push(`${where}: runAsNonRoot is not true`);
    if (pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault') problems.push(`${where}: seccomp is not RuntimeDefault`);
    if (pod.automountServiceAccountToken !== false) problems.push(`${where}: mounts a service account token`);
    for (const c of pod.containers) {
      const at = `${where} container ${c.name}`;
      const tag = c.image.includes('@') ? 'digest' : c.image.split('/').pop().split(':')[1];
      if (!tag || tag === 'latest') problems.push(`${at}: image ${c.image} is not pinned`);
      const sc = c.securityContext ?? {};
      if (sc.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation is not false`);
      if (sc.readOnlyRootFilesystem !== true) problems.push(`${at}: root filesystem is writable`);
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${at}: capabilities are not all dropped`);
      if (!c.resources?.requests?.memory || !c.resources?.limits?.memory) problems.push(`${at}: memory request or limit missing`);
      if (!c.readinessProbe || !c.livenessProbe) problems.push(`${at}: readiness or liveness probe missing`);
      const ports = new Map((c.ports ?? []).map((p) => [p.name, p.containerPort]));
      for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
        const port = c[probe]?.httpGet?.port;
        if (port !== undefined && !ports.has(port)) problems.push(`${at}: ${probe} names port ${port}, which it does not have`);
        if (d.metadata.name === 'rewardgate' && c[probe] && port !== 'management') {
          problems.push(`${at}: ${probe} is not on the management port`);
        }
      }
      for (const e of c.env ?? []) {
        if (/KEY|SECRET|TOKEN|PASSWORD/.test(e.name) && e.value !== undefined) problems.push(`${at}: ${e.name} has a literal value`);
      }
      const podLabels = d.spec.template.metadata.labels;
      for (const s of services) {
        const selects = Object.entries(s.spec.selector ?? {}).every(([k, v]) => podLabels[k] === v);
        if (!selects) continue;
        for (const p of s.spec.ports) {
          if (typeof p.targetPort === 'string' && !ports.has(p.targetPort)) {
            problems.push(`Service ${s.metadata.name}: targetPort ${p.targetPort} is not a port of ${at}`);
          }
        }
      }
    }
  }
  for (const m of objects.filter((o) => o.kind === 'ServiceMonitor')) {
    const selected = services.filter((s) => Object.entries(m.spec.selector.matchLabels).every(([k, v]) => s.metadata.labels?.[k] === v));
    if (selected.length === 0) problems.push(`ServiceMonitor ${m.metadata.name} selects no Service`);
    for (const e of m.spec.endpoints) {
      if (!selected.some((s) => s.spec.ports.some((p) => p.name === e.port))) {
        problems.push(`ServiceMonitor ${m.metadata.name}: no selected Service has port ${e.port}`);
      }
    }
  }
  for (const so of objects.filter((o) => o.kind === 'ScaledObject')) {
    const target = so.spec.scaleTargetRef.name;
    if (!objects.some((o) => o.kind === 'Deployment' && o.metadata.name === target)) {
      problems.push(`ScaledObject ${so.metadata.name} scales ${target}, which is not rendered`);
    }
    if (objects.some((o) => o.kind === 'HorizontalPodAutoscaler' && o.spec.scaleTargetRef.name === target)) {
      problems.push(`ScaledObject ${so.metadata.name} and a HorizontalPodAutoscaler both scale ${target}`);
    }
  }
  if (objects.some((o) => o.kind === 'Secret')) problems.push('a Secret is rendered: keys must come from a Secret the operator creates');
  return problems;
}

// The validator must be able to fail: a wrong type is refused.
const broken = await validate({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 'three' } });
if (broken.length === 0) {
  console.error('schema validation accepted replicas: "three"; it checks nothing');
  process.exit(1);
}
const brokenScaler = await validate({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'x' },
  spec: { scaleTargetRef: { name: 'x' }, minReplicaCount: 'three', triggers: [] } });
if (brokenScaler.length === 0) {
  console.error('schema validation accepted minReplicaCount: "three"; the KEDA schema checks nothing');
  process.exit(1);
}

if (!kubectlAvailable()) {
  console.log('k8s: kubectl not found, overlays not rendered or validated (install kubectl to check them)');
  process.exit(0);
}

let failed = false;
for (const overlay of readdirSync(overlays).sort()) {
  const rendered = execFileSync('kubectl', ['kustomize', join(overlays, overlay)], { encoding: 'utf8' });
  const objects = parseAllDocuments(rendered).map((d) => d.toJS()).filter(Boolean);
  console.log(`k8s/overlays/${overlay}: ${objects.length} objects`);
  for (const o of objects) {
    const problems = await validate(o);
    console.log(`  ${problems.length ? 'INVALID' : 'valid  '} ${o.kind}/${o.metadata.name}`);
    for (const p of problems) console.log(`      ${p}`);
    failed ||= problems.length > 0;
  }
  for (const p of policy(objects)) {
    console.log(`  POLICY  ${p}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
