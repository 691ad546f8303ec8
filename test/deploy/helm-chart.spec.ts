import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { SECRET_NAMES } from '@app/config';

jest.setTimeout(120_000);

/**
 * The Helm chart as Helm renders it (scripts/chart-check.mjs), every object checked against the
 * Kubernetes schemas, and the invariants an operator relies on checked here object by object.
 */
type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  automountServiceAccountToken?: boolean;
};

interface Rendered {
  error?: string;
  objects: K8sObject[];
  problems: string[];
}

const ROOT = path.resolve(__dirname, '..', '..');

function render(...args: string[]): Rendered {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'chart-check.mjs'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out) as Rendered;
}

const SERVICES = ['gateway', 'auth', 'notification', 'case-management', 'audit'];
/** Secret by name, or a value that reads as a URL with credentials. */
const SECRETISH = (name: string, value: unknown): boolean =>
  SECRET_NAMES.has(name) ||
  /SECRET|PASSWORD|TOKEN|_KEY$/.test(name) ||
  (typeof value === 'string' && /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]*@/i.test(value));

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

describe('the Helm chart', () => {
  let defaults: Rendered;
  let everything: Rendered;

  beforeAll(() => {
    defaults = render();
    everything = render(
      '--set',
      'ingress.enabled=true,ingress.tlsSecretName=portal-tls,serviceMonitor.enabled=true',
      '--set',
      'networkPolicy.natsServer.enabled=true,services.audit.autoscaling.enabled=true',
      '--set',
      'image.digests.auth=sha256:' + 'a'.repeat(64),
    );
  });

  it('renders, and every object is valid against the Kubernetes schemas', () => {
    for (const result of [defaults, everything]) {
      expect(result.error).toBeUndefined();
      expect(result.problems).toEqual([]);
    }
    const kinds = (r: Rendered) => new Set(r.objects.map((o) => o.kind));
    expect([...kinds(defaults)].sort()).toEqual(
      [
        'ConfigMap',
        'Deployment',
        'HorizontalPodAutoscaler',
        'Job',
        'NetworkPolicy',
        'PodDisruptionBudget',
        // The NATS users and permissions for the NATS server (no password: those stay in the
        // existing Secret).
        'Secret',
        'Service',
        'ServiceAccount',
      ].sort(),
    );
    const natsAuth = defaults.objects.find((o) => o.kind === 'Secret')!;
    expect(natsAuth.metadata.name).toMatch(/-nats-auth$/);
    expect(JSON.stringify(natsAuth)).not.toMatch(/password\s*[:=]\s*"?[A-Za-z0-9]{16,}/);
    expect([...kinds(everything)]).toEqual(expect.arrayContaining(['Ingress', 'ServiceMonitor']));
  });

  it('gives every Deployment probes, resources, a PDB, a NetworkPolicy and a locked-down pod', () => {
    for (const result of [defaults, everything]) {
      const deployments = result.objects.filter((o) => o.kind === 'Deployment');
      expect(deployments.map((d) => d.metadata.labels?.['app.kubernetes.io/component']).sort()).toEqual(
        [...SERVICES].sort(),
      );
      for (const d of deployments) {
        const name = d.metadata.name;
        const pod = d.spec.template.spec;
        const labels: Record<string, string> = d.spec.template.metadata.labels;
        expect({ name, selectorMatches: matches(d.spec.selector.matchLabels, labels) }).toEqual({
          name,
          selectorMatches: true,
        });
        for (const c of pod.containers) {
          expect({ name, startup: c.startupProbe?.httpGet?.path }).toEqual({ name, startup: '/health' });
          expect({ name, liveness: c.livenessProbe?.httpGet?.path }).toEqual({ name, liveness: '/health' });
          expect({ name, readiness: c.readinessProbe?.httpGet?.path }).toEqual({
            name,
            readiness: '/health/ready',
          });
          expect(c.resources?.requests?.cpu).toBeDefined();
          expect(c.resources?.requests?.memory).toBeDefined();
          expect(c.resources?.limits?.memory).toBeDefined();
          expect(c.securityContext).toMatchObject({
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
          });
          expect(c.lifecycle?.preStop?.sleep?.seconds).toBeGreaterThan(0);
          expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(c.lifecycle.preStop.sleep.seconds);
        }
        expect(pod.securityContext).toMatchObject({
          runAsNonRoot: true,
          seccompProfile: { type: 'RuntimeDefault' },
        });
        expect(pod.automountServiceAccountToken).toBe(false);
        expect(pod.topologySpreadConstraints?.length).toBeGreaterThan(0);
        expect(Object.keys(d.spec.template.metadata.annotations)).toEqual(
          expect.arrayContaining(['checksum/config', 'checksum/secret']),
        );
        const pdbs = result.objects.filter(
          (o) => o.kind === 'PodDisruptionBudget' && matches(o.spec.selector.matchLabels, labels),
        );
        expect({ name, pdbs: pdbs.length }).toEqual({ name, pdbs: 1 });
        const policies = result.objects.filter(
          (o) => o.kind === 'NetworkPolicy' && matches(o.spec.podSelector.matchLabels ?? {}, labels),
        );
        expect({ name, policies: policies.length }).toEqual({ name, policies: 1 });
        expect(policies[0].spec.policyTypes).toEqual(['Ingress', 'Egress']);
      }
    }
  });

  it('grace periods outlast a stuck SMTP send (50 s) for the notification service', () => {
    const notification = defaults.objects.find(
      (o) => o.kind === 'Deployment' && o.metadata.labels?.['app.kubernetes.io/component'] === 'notification',
    )!;
    const pod = notification.spec.template.spec;
    expect(
      pod.terminationGracePeriodSeconds - pod.containers[0].lifecycle.preStop.sleep.seconds,
    ).toBeGreaterThan(50);
  });

  it('takes every secret from the Secret: none in a ConfigMap, none as an env literal', () => {
    for (const result of [defaults, everything]) {
      for (const cm of result.objects.filter((o) => o.kind === 'ConfigMap')) {
        for (const [key, value] of Object.entries(cm.data ?? {})) {
          expect({ key, secret: SECRETISH(key, value) }).toEqual({ key, secret: false });
        }
      }
      const pods = result.objects
        .filter((o) => o.kind === 'Deployment' || o.kind === 'Job')
        .map((o) => ({ name: o.metadata.name, pod: o.spec.template.spec }));
      for (const { name, pod } of pods) {
        for (const c of pod.containers) {
          for (const e of c.env ?? []) {
            if (e.value !== undefined) {
              expect({ name, env: e.name, secret: SECRETISH(e.name, e.value) }).toEqual({
                name,
                env: e.name,
                secret: false,
              });
            }
          }
          const fromSecret = (c.env ?? [])
            .filter((e: any) => e.valueFrom?.secretKeyRef)
            .map((e: any) => e.name);
          if (c.name !== 'migrate') {
            expect(fromSecret).toEqual(expect.arrayContaining(['NATS_URL']));
          }
        }
      }
    }
  });

  it('allows the API port in from outside on the gateway only; NATS only from Mamori pods', () => {
    const policies = everything.objects.filter((o) => o.kind === 'NetworkPolicy');
    for (const p of policies.filter(
      (o) => o.spec.podSelector.matchLabels['app.kubernetes.io/name'] === 'mamori',
    )) {
      const component = p.spec.podSelector.matchLabels['app.kubernetes.io/component'];
      const rules = p.spec.ingress ?? [];
      // Without metricsFrom set, only the gateway has an ingress rule at all.
      expect({ component, rules: rules.length }).toEqual({
        component,
        rules: component === 'gateway' ? 1 : 0,
      });
      const egressPorts = (p.spec.egress ?? []).flatMap((r: any) => r.ports.map((x: any) => x.port));
      // Beyond DNS and the infrastructure: the notification service's providers, and the object
      // store (HTTPS) for the two services that hold attachments.
      const allowed = [
        53,
        4222,
        5432,
        6379,
        ...(['gateway', 'case-management'].includes(component) ? [443] : []),
      ];
      if (component !== 'notification') {
        expect(egressPorts.filter((port: number) => !allowed.includes(port))).toEqual([]);
      }
    }
    const nats = policies.find((o) => o.metadata.name.endsWith('nats-clients'))!;
    expect(nats.spec.ingress).toEqual([
      {
        ports: [{ port: 4222, protocol: 'TCP' }],
        from: [
          {
            podSelector: {
              matchLabels: { 'app.kubernetes.io/name': 'mamori', 'app.kubernetes.io/instance': 'mamori' },
            },
          },
        ],
      },
    ]);
  });

  it('runs migrations in a pre-install/pre-upgrade Job; services wait for them; images by digest when given', () => {
    const job = defaults.objects.find((o) => o.kind === 'Job')!;
    expect(job.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(job.spec.template.spec.containers[0].args).toEqual(['migrate']);
    const config = defaults.objects.find((o) => o.kind === 'ConfigMap')!;
    expect(config.data?.MIGRATE_AT_BOOT).toBe('false');
    const sa = defaults.objects.find((o) => o.kind === 'ServiceAccount')!;
    expect(sa.automountServiceAccountToken).toBe(false);
    const auth = everything.objects.find(
      (o) => o.kind === 'Deployment' && o.metadata.name === 'mamori-auth',
    )!;
    expect(auth.spec.template.spec.containers[0].image).toBe(`mamori/auth@sha256:${'a'.repeat(64)}`);
  });

  it('refuses values that would put a secret in clear, and malformed values', () => {
    expect(render('--set', 'env.REDIS_URL=redis://:pw@redis:6379').error).toMatch(/REDIS_URL/);
    expect(render('--set', 'services.auth.env.ACCESS_TOKEN_SIGNING_KEYS=x').error).toMatch(
      /ACCESS_TOKEN_SIGNING_KEYS/,
    );
    expect(render('--set', 'services.auth.replicas=-1').error).toMatch(/replicas/);
    expect(render('--set', 'image.digests.auth=latest').error).toMatch(/digests/);
    expect(render('--set', 'attachments.s3.endpoint=https://key:secret@s3.example.com').error).toMatch(
      /endpoint/,
    );
    expect(render('--set', 'attachments.store=local').error).toMatch(/existingClaim/);
  });

  it('gives the gateway and the case service one attachment store, and nobody else', () => {
    const env = (r: Rendered, name: string) =>
      deployment(r, name).spec.template.spec.containers[0].env as { name: string; value?: string }[];
    const value = (r: Rendered, service: string, key: string) => env(r, service).find((e) => e.name === key);
    for (const service of ['gateway', 'case-management']) {
      expect(value(defaults, service, 'ATTACHMENT_STORE')?.value).toBe('s3');
      expect(value(defaults, service, 'ATTACHMENT_S3_BUCKET')?.value).toBe('mamori-attachments');
      // Keys only by reference to the Secret, and optional: without them the pod's identity is used.
      expect(value(defaults, service, 'ATTACHMENT_S3_SECRET_ACCESS_KEY')).toMatchObject({
        valueFrom: { secretKeyRef: { key: 'ATTACHMENT_S3_SECRET_ACCESS_KEY', optional: true } },
      });
      const egress = networkPolicy(defaults, service).spec.egress as { ports: { port: number }[] }[];
      expect(egress.some((rule) => rule.ports.some((p) => p.port === 443))).toBe(true);
    }
    for (const service of ['auth', 'notification', 'audit']) {
      expect(value(defaults, service, 'ATTACHMENT_STORE')).toBeUndefined();
    }

    const local = render('--set', 'attachments.store=local,attachments.local.existingClaim=mamori-files');
    expect(local.error).toBeUndefined();
    expect(local.problems).toEqual([]);
    for (const service of ['gateway', 'case-management']) {
      const pod = deployment(local, service).spec.template.spec;
      expect(pod.volumes).toContainEqual({
        name: 'attachments',
        persistentVolumeClaim: { claimName: 'mamori-files' },
      });
      expect(pod.containers[0].volumeMounts).toContainEqual({
        name: 'attachments',
        mountPath: '/var/lib/mamori/attachments',
      });
      expect(value(local, service, 'ATTACHMENT_DIR')?.value).toBe('/var/lib/mamori/attachments');
    }
    expect(deployment(local, 'auth').spec.template.spec.volumes).toHaveLength(1);
  });

  it("carries the notification service's outage settings", () => {
    const env = deployment(defaults, 'notification').spec.template.spec.containers[0].env as {
      name: string;
      value?: string;
    }[];
    const names = env.map((e) => e.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'SWEEP_INTERVAL_SECONDS',
        'PROVIDER_PAUSE_AFTER_FAILURES',
        'PROVIDER_PROBE_INTERVAL_MS',
        'RECIPIENT_HASH_SECRET',
      ]),
    );
  });
});

function deployment(r: Rendered, service: string): K8sObject {
  return r.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === `mamori-${service}`)!;
}

function networkPolicy(r: Rendered, service: string): K8sObject {
  return r.objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === `mamori-${service}`)!;
}
