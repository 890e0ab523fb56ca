/**
 * Keeps deploy/ true to the code: the files parse; every variable a compose service or Kubernetes Deployment
 * sets for a Loopdesk process is one that process's zod config reads, and every required one is set; ports,
 * probes and health paths match the processes; the image's entrypoint names map to real entry points; and
 * every metric the dashboard and alerts query is one the code exports (or a prom-client default metric).
 */
import { SDK_METRICS_IN_DASHBOARDS } from '../../workflows/worker-metrics';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { accountContextEnv } from '../../services/account-context/config';
import { conversationEnv } from '../../services/conversation/config';
import { insightsEnv } from '../../services/insights/config';
import { knowledgeEnv } from '../../services/knowledge/config';
import { DEFAULT_METRICS_PORTS, DEFAULT_PORTS, ProcessName } from '../../services/shared/config';
import { gatewayEnv } from '../../gateway/config';
import { workerEnv } from '../../workflows/config';

const ROOT = path.resolve(__dirname, '../..');
const DEPLOY = path.join(ROOT, 'deploy');
const PROCESSES = Object.keys(DEFAULT_PORTS) as ProcessName[];
/** Read by libraries rather than by our zod configs; allowed for every process. */
const LIBRARY_VARIABLES = new Set(['APOLLO_TELEMETRY_DISABLED', 'NODE_ENV']);
const HEALTH_PATHS = new Set(['/ready', '/health']);

type Shape = Record<string, z.ZodType>;
interface ProcessEnv {
  known: Set<string>;
  required: Set<string>;
}

const read = (relative: string) => readFileSync(path.join(ROOT, relative), 'utf8');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return entry === 'node_modules' ? [] : walk(full);
    return [full];
  });
}

/** A field is required when the variable's absence fails validation (no default, not optional). */
const isRequired = (field: z.ZodType) => !field.safeParse(undefined).success;

function fromShape(shape: Shape): ProcessEnv {
  return {
    known: new Set(Object.keys(shape)),
    required: new Set(Object.entries(shape).filter(([, field]) => isRequired(field)).map(([name]) => name)),
  };
}

const PROCESS_ENV: Record<ProcessName, ProcessEnv> = {
  gateway: fromShape(gatewayEnv),
  conversation: fromShape(conversationEnv),
  knowledge: fromShape(knowledgeEnv),
  'account-context': fromShape(accountContextEnv),
  insights: fromShape(insightsEnv),
  worker: fromShape(workerEnv),
};

function checkVariables(where: string, name: ProcessName, variables: string[]): void {
  const { known, required } = PROCESS_ENV[name];
  const unknown = variables.filter((variable) => !known.has(variable) && !LIBRARY_VARIABLES.has(variable));
  expect({ where, unknown }).toEqual({ where, unknown: [] });
  const missing = [...required].filter((variable) => !variables.includes(variable));
  expect({ where, missing }).toEqual({ where, missing: [] });
}

/** The port a process listens on: the PORT it is given, else the code's default. */
function effectivePort(name: ProcessName, env: Record<string, unknown>): number {
  return env.PORT !== undefined ? Number(env.PORT) : DEFAULT_PORTS[name];
}

/** The port a process serves /metrics on: the METRICS_PORT it is given, else the code's default. */
function effectiveMetricsPort(name: ProcessName, env: Record<string, unknown>): number {
  return env.METRICS_PORT !== undefined ? Number(env.METRICS_PORT) : DEFAULT_METRICS_PORTS[name];
}

function yamlDocuments(file: string): unknown[] {
  const documents = parseAllDocuments(readFileSync(file, 'utf8'), { merge: true });
  const list = Array.isArray(documents) ? documents : [documents];
  for (const document of list) {
    expect({ file, errors: document.errors.map((error) => error.message) }).toEqual({ file, errors: [] });
  }
  return list.map((document) => document.toJS()).filter((value) => value !== null && value !== undefined);
}

const deployFiles = walk(DEPLOY);
const yamlFiles = deployFiles.filter((file) => /\.ya?ml$/.test(file));
const jsonFiles = deployFiles.filter((file) => file.endsWith('.json'));

describe('deploy files parse', () => {
  test('the expected files exist', () => {
    for (const relative of [
      'Dockerfile',
      'docker-entrypoint.sh',
      'compose.yaml',
      'RUNBOOK.md',
      'k8s/secrets.yaml',
      'k8s/config.yaml',
      'observability/grafana-dashboard.json',
      'observability/alerts.yaml',
      ...PROCESSES.map((name) => `k8s/${name}.yaml`),
    ]) {
      expect({ relative, exists: existsSync(path.join(DEPLOY, relative)) }).toEqual({ relative, exists: true });
    }
  });

  test.each(yamlFiles.map((file) => [path.relative(ROOT, file), file]))('%s is valid YAML', (_relative, file) => {
    expect(yamlDocuments(file).length).toBeGreaterThan(0);
  });

  test.each(jsonFiles.map((file) => [path.relative(ROOT, file), file]))('%s is valid JSON', (_relative, file) => {
    expect(() => JSON.parse(readFileSync(file, 'utf8'))).not.toThrow();
  });
});

describe('deploy/compose.yaml', () => {
  const compose = yamlDocuments(path.join(DEPLOY, 'compose.yaml'))[0] as { services: Record<string, any> };
  const services = compose.services;

  const environment = (service: any): Record<string, string> => {
    const env = service.environment ?? {};
    if (!Array.isArray(env)) return env;
    return Object.fromEntries(env.map((entry: string) => [entry.split('=')[0], entry.slice(entry.indexOf('=') + 1)]));
  };

  test('runs every Loopdesk process, each by its name', () => {
    for (const name of PROCESSES) {
      expect(services[name]).toBeDefined();
      expect(services[name].command).toEqual([name]);
      expect(services[name].build?.dockerfile).toBe('deploy/Dockerfile');
    }
    // Anything else built from the Loopdesk image must be a known process too.
    for (const [name, service] of Object.entries(services)) {
      if (service.build) expect(PROCESSES).toContain(name);
    }
  });

  test('runs PostgreSQL 16, ClickHouse and Temporal with its UI', () => {
    const images = Object.values(services).map((service) => String(service.image ?? ''));
    expect(images.some((image) => /^postgres:16/.test(image))).toBe(true);
    expect(images.some((image) => image.startsWith('clickhouse/clickhouse-server'))).toBe(true);
    expect(images.some((image) => image.startsWith('temporalio/auto-setup'))).toBe(true);
    expect(images.some((image) => image.startsWith('temporalio/ui'))).toBe(true);
  });

  test.each(PROCESSES)('%s gets exactly variables its code reads, and every required one', (name) => {
    checkVariables(`compose ${name}`, name, Object.keys(environment(services[name])));
  });

  test.each(PROCESSES)('%s has a /ready healthcheck on its own port', (name) => {
    const port = effectivePort(name, environment(services[name]));
    const check = [services[name].healthcheck?.test ?? []].flat().join(' ');
    const urls = [...check.matchAll(/https?:\/\/(?:127\.0\.0\.1|localhost):(\d+)(\/[\w-]*)/g)];
    expect(urls.length).toBeGreaterThan(0);
    for (const [, urlPort, urlPath] of urls) {
      expect({ name, port: Number(urlPort) }).toEqual({ name, port });
      expect(HEALTH_PATHS).toContain(urlPath);
    }
    expect(urls.some(([, , urlPath]) => urlPath === '/ready')).toBe(true);
  });

  test('depends_on always states a condition, and only on services that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      const dependsOn = service.depends_on ?? {};
      expect({ name, isMap: !Array.isArray(dependsOn) }).toEqual({ name, isMap: true });
      for (const [dependency, spec] of Object.entries(dependsOn as Record<string, any>)) {
        expect(services[dependency]).toBeDefined();
        expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(spec.condition);
        if (spec.condition === 'service_healthy') expect({ dependency, healthcheck: !!services[dependency].healthcheck }).toEqual({ dependency, healthcheck: true });
      }
    }
  });

  test('peer URLs point at the peer service on the port it listens on', () => {
    for (const name of PROCESSES) {
      for (const [variable, value] of Object.entries(environment(services[name]))) {
        if (!/_URL$/.test(variable)) continue;
        const url = /^http:\/\/([\w-]+):(\d+)\/graphql$/.exec(String(value));
        const peer = url?.[1] as ProcessName | undefined;
        if (!peer || !PROCESSES.includes(peer)) continue;
        expect({ variable, port: Number(url![2]) }).toEqual({ variable, port: effectivePort(peer, environment(services[peer])) });
      }
    }
  });

  test('account-context publishes its port for the webhooks, the gateway its port for the API', () => {
    const published = (name: ProcessName) => (services[name].ports ?? []).map((mapping: string) => Number(String(mapping).split(':').pop()));
    expect(published('account-context')).toContain(effectivePort('account-context', environment(services['account-context'])));
    expect(published('gateway')).toContain(effectivePort('gateway', environment(services.gateway)));
  });

  test.each(PROCESSES)('%s serves metrics on a port of its own that compose does not publish', (name) => {
    const env = environment(services[name]);
    const metricsPort = effectiveMetricsPort(name, env);
    expect(metricsPort).toBeGreaterThan(0);
    expect(metricsPort).not.toBe(effectivePort(name, env));
    const published = (services[name].ports ?? []).map((mapping: string) => Number(String(mapping).split(':').pop()));
    expect(published).not.toContain(metricsPort);
  });
});

describe('deploy/k8s', () => {
  const k8sFiles = walk(path.join(DEPLOY, 'k8s')).filter((file) => /\.ya?ml$/.test(file));
  const objects = k8sFiles.flatMap((file) => yamlDocuments(file).map((object) => ({ file: path.relative(ROOT, file), object: object as any })));
  const ofKind = (kind: string) => objects.filter(({ object }) => object.kind === kind).map(({ object }) => object);
  const deployments = new Map<string, any>(ofKind('Deployment').map((deployment) => [deployment.metadata.name, deployment]));
  const container = (name: string) => deployments.get(name)!.spec.template.spec.containers[0];
  const envList = (name: string): any[] => container(name).env ?? [];
  const literalEnv = (name: string) => Object.fromEntries(envList(name).filter((entry) => 'value' in entry).map((entry) => [entry.name, entry.value]));

  test('one file per process, each with its Deployment running that process', () => {
    for (const name of PROCESSES) {
      const inFile = objects.filter(({ file }) => file === `deploy/k8s/${name}.yaml`).map(({ object }) => object);
      expect(inFile.some((object) => object.kind === 'Deployment' && object.metadata.name === name)).toBe(true);
      expect(container(name).args).toEqual([name]);
    }
    expect([...deployments.keys()].sort()).toEqual([...PROCESSES].sort());
  });

  test('no CronJobs: Temporal Schedules own timing', () => {
    expect(ofKind('CronJob')).toEqual([]);
  });

  test.each(PROCESSES)('%s gets exactly variables its code reads, and every required one', (name) => {
    expect(container(name).envFrom).toBeUndefined();
    const required = envList(name).filter((entry) => !(entry.valueFrom?.secretKeyRef?.optional || entry.valueFrom?.configMapKeyRef?.optional));
    checkVariables(`k8s ${name}`, name, envList(name).map((entry) => entry.name));
    // Required variables must not hang on optional references.
    const requiredSet = required.map((entry) => entry.name);
    for (const variable of PROCESS_ENV[name].required) expect({ name, variable, set: requiredSet.includes(variable) }).toEqual({ name, variable, set: true });
  });

  test.each(PROCESSES)('%s probes /ready and /health on its port and requests resources', (name) => {
    const port = effectivePort(name, literalEnv(name));
    const c = container(name);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/health', port });
    expect(c.ports.map((p: any) => p.containerPort)).toContain(port);
    expect(c.resources?.requests?.cpu).toBeDefined();
    expect(c.resources?.requests?.memory).toBeDefined();
  });

  test.each(PROCESSES)('%s is scraped on its metrics port, which is not its API port', (name) => {
    const metricsPort = effectiveMetricsPort(name, literalEnv(name));
    expect(metricsPort).toBeGreaterThan(0);
    expect(metricsPort).not.toBe(effectivePort(name, literalEnv(name)));
    expect(container(name).ports.map((p: any) => p.containerPort)).toContain(metricsPort);
    const annotations = deployments.get(name).spec.template.metadata.annotations;
    expect({ port: annotations['prometheus.io/port'], path: annotations['prometheus.io/path'] }).toEqual({ port: String(metricsPort), path: '/metrics' });
  });

  test('Services forward to the port their process listens on', () => {
    for (const service of ofKind('Service')) {
      const name = service.spec.selector['app.kubernetes.io/name'] as ProcessName;
      expect(PROCESSES).toContain(name);
      for (const p of service.spec.ports) expect({ service: service.metadata.name, port: p.targetPort }).toEqual({ service: service.metadata.name, port: effectivePort(name, literalEnv(name)) });
    }
    for (const name of ['gateway', 'conversation', 'knowledge', 'account-context', 'insights']) {
      expect(ofKind('Service').some((service) => service.metadata.name === name)).toBe(true);
    }
  });

  test('peer URLs point at the peer Service on its port', () => {
    const servicePorts = new Map<string, number[]>(ofKind('Service').map((service) => [service.metadata.name, service.spec.ports.map((p: any) => p.port)]));
    for (const name of PROCESSES) {
      for (const [variable, value] of Object.entries(literalEnv(name))) {
        const url = /^http:\/\/([\w-]+)(?:\.[\w.-]+)?:(\d+)\/graphql$/.exec(String(value));
        if (!/_URL$/.test(variable) || !url) continue;
        expect({ variable, port: servicePorts.get(url[1])?.includes(Number(url[2])) }).toEqual({ variable, port: true });
      }
    }
  });

  test('the gateway and the four subgraphs autoscale', () => {
    const targets = ofKind('HorizontalPodAutoscaler').map((hpa) => hpa.spec.scaleTargetRef);
    for (const name of ['gateway', 'conversation', 'knowledge', 'account-context', 'insights']) {
      expect(targets).toContainEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
    }
  });

  test('secret and config references resolve to keys that exist (unless optional)', () => {
    const secret = ofKind('Secret').find((object) => object.metadata.name === 'loopdesk-secrets');
    const config = ofKind('ConfigMap').find((object) => object.metadata.name === 'loopdesk-config');
    expect(secret).toBeDefined();
    expect(config).toBeDefined();
    const secretKeys = Object.keys({ ...secret.stringData, ...secret.data });
    expect(secretKeys).toEqual(expect.arrayContaining(['INTERNAL_HMAC_SECRET', 'DATABASE_URL']));
    // An empty INTERNAL_HMAC_SECRET_PREVIOUS would fail every process's config (min 32 characters).
    expect(secretKeys.filter((key) => key === 'INTERNAL_HMAC_SECRET_PREVIOUS' && !secret.stringData?.[key])).toEqual([]);
    for (const name of PROCESSES) {
      for (const entry of envList(name)) {
        const secretRef = entry.valueFrom?.secretKeyRef;
        const configRef = entry.valueFrom?.configMapKeyRef;
        if (secretRef && !secretRef.optional) expect({ name, key: secretRef.key, present: secretKeys.includes(secretRef.key) }).toEqual({ name, key: secretRef.key, present: true });
        if (configRef && !configRef.optional) expect({ name, key: configRef.key, present: configRef.key in config.data }).toEqual({ name, key: configRef.key, present: true });
      }
    }
    // Every process can take the previous secret during a rotation.
    for (const name of PROCESSES) {
      expect(envList(name).find((entry) => entry.name === 'INTERNAL_HMAC_SECRET_PREVIOUS')?.valueFrom?.secretKeyRef?.optional).toBe(true);
    }
  });
});

describe('deploy/Dockerfile', () => {
  const dockerfile = readFileSync(path.join(DEPLOY, 'Dockerfile'), 'utf8');
  const entrypoint = readFileSync(path.join(DEPLOY, 'docker-entrypoint.sh'), 'utf8');
  const mapping = new Map([...entrypoint.matchAll(/^\s*([a-z-]+)\)\s*entry=(dist\/[\w/.-]+\.js)\s*;;/gm)].map(([, name, entry]) => [name, entry]));

  test('the entrypoint maps every process name to a compiled file whose TypeScript source exists', () => {
    for (const name of PROCESSES) expect(mapping.has(name)).toBe(true);
    for (const [name, entry] of mapping) {
      const source = entry.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect({ name, source, exists: existsSync(path.join(ROOT, source)) }).toEqual({ name, source, exists: true });
    }
    // The same entry points as the local supervisor.
    const stack = read('deploy/local/stack.ts');
    for (const name of PROCESSES) expect(stack).toContain(`'${mapping.get(name)}'`);
  });

  test('multi-stage, production dependencies only, non-root, with the files the processes read at run time', () => {
    const stages = [...dockerfile.matchAll(/^FROM\s+\S+(?:\s+AS\s+(\w+))?/gim)];
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const finalStage = dockerfile.slice(stages[stages.length - 1].index);
    expect(finalStage).toMatch(/npm ci --omit=dev/);
    expect(finalStage).toMatch(/COPY --from=\w+ \/app\/dist/);
    expect(finalStage).toMatch(/COPY schema /);
    expect(finalStage).toMatch(/COPY analytics\/migrations /);
    expect(finalStage).toMatch(/docker-entrypoint\.sh/);
    // The word-vector cache is built into the image from the compiled module that reads it, before its source JSON goes.
    const vectors = /require\('\.\/(dist\/[\w/-]+)'\)\.wordVectors\(/.exec(finalStage);
    expect(vectors).not.toBeNull();
    expect(existsSync(path.join(ROOT, vectors![1]!.replace(/^dist\//, '') + '.ts'))).toBe(true);
    expect(finalStage.indexOf('wordVectors(')).toBeGreaterThan(finalStage.indexOf('COPY --from=build /app/dist'));
    const user = /^USER\s+(\S+)/m.exec(finalStage);
    expect(user).not.toBeNull();
    expect(['root', '0']).not.toContain(user![1]);
    expect(finalStage).toMatch(/^ENTRYPOINT /m);
    // migrate.ts reads its .sql files from the source folder, which must exist with at least one migration.
    expect(readdirSync(path.join(ROOT, 'analytics/migrations')).some((file) => file.endsWith('.sql'))).toBe(true);
  });
});

describe('observability', () => {
  /** Metric names the code registers: string literals in the TypeScript sources. */
  const codeMetrics = new Set<string>();
  for (const folder of ['gateway', 'services', 'workflows', 'analytics']) {
    for (const file of walk(path.join(ROOT, folder)).filter((f) => f.endsWith('.ts'))) {
      for (const [, name] of readFileSync(file, 'utf8').matchAll(/name:\s*['"`]([a-z_:][a-z0-9_:]*)['"`]/g)) codeMetrics.add(name);
    }
  }

  const defaultMetrics = async (): Promise<Set<string>> => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const names = (await registry.getMetricsAsJSON()).map((metric) => metric.name);
    registry.clear();
    return new Set(names);
  };

  function expressions(): { where: string; expr: string }[] {
    const found: { where: string; expr: string }[] = [];
    const dashboard = JSON.parse(readFileSync(path.join(DEPLOY, 'observability/grafana-dashboard.json'), 'utf8'));
    const visit = (node: unknown, where: string) => {
      if (Array.isArray(node)) node.forEach((child, i) => visit(child, `${where}[${i}]`));
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if ((key === 'expr' || key === 'definition') && typeof value === 'string') found.push({ where: `dashboard ${where}.${key}`, expr: value });
          else visit(value, `${where}.${key}`);
        }
      }
    };
    visit(dashboard, '');
    const alerts = yamlDocuments(path.join(DEPLOY, 'observability/alerts.yaml'))[0] as { groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[] };
    for (const group of alerts.groups) for (const rule of group.rules) found.push({ where: `alert ${rule.alert ?? rule.record}`, expr: String(rule.expr) });
    return found;
  }

  const metricNames = (expr: string): string[] => {
    const names = new Set<string>();
    for (const [, name] of expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{/g)) names.add(name);
    for (const [name] of expr.matchAll(/\b(?:loopdesk|process|nodejs|temporal)_[a-z0-9_]+\b/g)) names.add(name);
    return [...names];
  };

  test('the code exports the metrics the deploy files are about', () => {
    for (const name of ['loopdesk_graphql_requests_total', 'loopdesk_graphql_request_duration_seconds', 'loopdesk_relay_lag_seconds']) expect(codeMetrics).toContain(name);
  });

  test('every metric in the dashboard and the alerts is exported by the code or is a prom-client default', async () => {
    const defaults = await defaultMetrics();
    expect(defaults).toContain('process_resident_memory_bytes');
    const sdk = new Set<string>(SDK_METRICS_IN_DASHBOARDS);
    const base = (name: string) => name.replace(/_(bucket|sum|count)$/, '');
    const exported = (name: string) => codeMetrics.has(name) || defaults.has(name) || codeMetrics.has(base(name)) || sdk.has(base(name));
    const all = expressions();
    expect(all.length).toBeGreaterThan(5);
    const unknown: string[] = [];
    for (const { where, expr } of all) {
      const names = metricNames(expr);
      expect({ where, hasMetric: names.length > 0 }).toEqual({ where, hasMetric: true });
      for (const name of names) if (!exported(name)) unknown.push(`${where}: ${name}`);
    }
    expect(unknown).toEqual([]);
  });

  test('the alerts cover gateway errors, ask latency and relay lag', () => {
    const alertExprs = expressions().filter(({ where }) => where.startsWith('alert ')).map(({ expr }) => expr);
    expect(alertExprs.some((expr) => expr.includes('loopdesk_graphql_requests_total') && expr.includes('outcome="error"') && expr.includes('service="gateway"'))).toBe(true);
    expect(alertExprs.some((expr) => expr.includes('histogram_quantile(0.99') && expr.includes('loopdesk_graphql_request_duration_seconds_bucket'))).toBe(true);
    expect(alertExprs.some((expr) => /loopdesk_relay_lag_seconds[^>]*>\s*300\b/.test(expr))).toBe(true);
  });
});
