// Checks docker/compose.yaml against what the services actually read, so that the file cannot
// drift from the code while no Docker engine runs it: every variable given to a Miaosha service
// is read by that service's application.properties, host names point at compose services,
// ports agree with the services' defaults and nginx's upstreams, mounted files exist.
// Usage: node check-compose.mjs (paths are relative to this folder).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const dockerDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(dockerDir, '..');
const compose = parse(readFileSync(join(dockerDir, 'compose.yaml'), 'utf8'), { merge: true });
const services = compose.services ?? {};
const problems = [];
const problem = (where, message) => problems.push(`compose.yaml ${where}: ${message}`);

const MIAOSHA = { 'flash-sale-api': 8080, 'order-worker': 8081, 'queue-gateway': 8082 };
const REQUIRED = ['mysql-writer', 'mysql-replica', 'redis-1', 'redis-2', 'redis-3', 'redis-4', 'redis-5', 'redis-6',
  'redis-cluster-init', 'rabbitmq', 'elasticmq', 'mailpit', 'phpmyadmin', 'nginx', ...Object.keys(MIAOSHA)];
for (const name of REQUIRED) if (!services[name]) problem(name, 'service is missing');

const env = (service) => {
  const e = service.environment ?? {};
  return Array.isArray(e) ? Object.fromEntries(e.map((kv) => kv.split(/=(.*)/s).slice(0, 2))) : e;
};
const containerPorts = (service) => (service.ports ?? []).map((p) => Number(String(p).split(':').pop()));
const dependsOn = (service) => Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});

// Every service: dependencies exist, published host ports are unique, mounted files exist.
const hostPorts = new Map();
for (const [name, service] of Object.entries(services)) {
  for (const dep of dependsOn(service)) if (!services[dep]) problem(name, `depends on unknown service ${dep}`);
  for (const port of service.ports ?? []) {
    const host = String(port).split(':').slice(-2, -1)[0];
    if (!host) continue;
    if (hostPorts.has(host)) problem(name, `host port ${host} is also published by ${hostPorts.get(host)}`);
    hostPorts.set(host, name);
  }
  for (const volume of service.volumes ?? []) {
    const source = String(volume).split(':')[0];
    if (source.startsWith('.') && !existsSync(join(dockerDir, source))) problem(name, `mounts missing file ${source}`);
  }
}

// The Miaosha services: built from our Dockerfiles, configured with variables they read.
for (const [name, defaultPort] of Object.entries(MIAOSHA)) {
  const service = services[name];
  if (!service) continue;
  const build = service.build ?? {};
  if (!existsSync(join(dockerDir, build.context ?? '.', build.dockerfile ?? 'Dockerfile'))) problem(name, 'its Dockerfile is missing');
  if (build.args?.SERVICE !== name) problem(name, `builds module ${build.args?.SERVICE} instead of ${name}`);
  const vars = env(service);
  const port = Number(vars.PORT ?? defaultPort);
  if (port !== defaultPort) problem(name, `PORT ${port} differs from the service's ${defaultPort}`);
  if (Number(build.args?.PORT) !== port) problem(name, `the image exposes ${build.args?.PORT} but the service listens on ${port}`);
  if (!containerPorts(service).includes(port)) problem(name, `port ${port} is not published`);
  for (const key of ['MIAOSHA_DB_HOST', 'MIAOSHA_DB_READ_HOST', 'RABBITMQ_HOST']) {
    if (vars[key] && !services[vars[key]]) problem(name, `${key}=${vars[key]} is no compose service`);
  }
  if (vars.MIAOSHA_REDIS_URL) {
    const host = new URL(vars.MIAOSHA_REDIS_URL).hostname;
    if (!/^redis-[1-6]$/.test(host)) problem(name, `MIAOSHA_REDIS_URL names ${host}, not a cluster node`);
  }

  const propertiesFile = join(root, name, 'src/main/resources/application.properties');
  if (!existsSync(propertiesFile)) {
    console.log(`note: ${name} has no application.properties yet; its variables are not checked`);
    continue;
  }
  const properties = readFileSync(propertiesFile, 'utf8');
  const declaredPort = /^quarkus\.http\.port=\$\{PORT:(\d+)\}/m.exec(properties);
  if (!declaredPort) problem(name, 'application.properties does not read PORT for quarkus.http.port');
  else if (Number(declaredPort[1]) !== defaultPort) problem(name, `application.properties defaults to port ${declaredPort[1]}`);
  for (const key of Object.keys(vars)) {
    if (properties.includes('${' + key + ':') || properties.includes('${' + key + '}')) continue;
    // A QUARKUS_* variable overrides a Quarkus key; accept it when the service uses that extension.
    const extension = key.startsWith('QUARKUS_') ? 'quarkus.' + key.split('_')[1].toLowerCase() + '.' : null;
    if (extension && properties.includes(extension)) continue;
    problem(name, `sets ${key}, which ${name} does not read`);
  }
}

// nginx: the rendered template's variables are all set and point at the right services and ports.
const nginx = services.nginx;
if (nginx) {
  const vars = env(nginx);
  const template = readFileSync(join(dockerDir, 'nginx/miaosha.conf.template'), 'utf8');
  for (const [, name] of template.matchAll(/\$\{([A-Z_]+)\}/g)) if (!(name in vars)) problem('nginx', `template needs ${name}`);
  const upstream = (key, service) => {
    const [host, port] = String(vars[key] ?? '').split(':');
    if (host !== service || Number(port) !== MIAOSHA[service]) problem('nginx', `${key}=${vars[key]} should be ${service}:${MIAOSHA[service]}`);
  };
  upstream('API_UPSTREAM', 'flash-sale-api');
  upstream('GATEWAY_UPSTREAM', 'queue-gateway');
  if (!containerPorts(nginx).includes(Number(vars.EDGE_PORT))) problem('nginx', `EDGE_PORT ${vars.EDGE_PORT} is not published`);
}

// MySQL: the replica follows the writer service, with its own server id, and refuses writes.
const cnf = (file) => readFileSync(join(dockerDir, 'mysql', file), 'utf8');
const serverId = (text) => /^server-id\s*=\s*(\d+)/m.exec(text)?.[1];
if (serverId(cnf('writer.cnf')) === serverId(cnf('replica.cnf'))) problem('mysql-replica', 'has the writer\'s server-id');
if (!/^super-read-only\s*=\s*ON/m.test(cnf('replica.cnf'))) problem('mysql-replica', 'accepts writes');
if (!/^log-bin\s*=/m.test(cnf('writer.cnf'))) problem('mysql-writer', 'writes no binary log for the replica');
const sourceHost = /SOURCE_HOST\s*=\s*'([^']+)'/.exec(cnf('replica-init.sql'))?.[1];
if (sourceHost !== 'mysql-writer') problem('mysql-replica', `follows ${sourceHost} instead of mysql-writer`);

// Redis: six cluster nodes, all joined by the one-shot init.
if (!/^cluster-enabled yes/m.test(readFileSync(join(dockerDir, 'redis/redis-cluster.conf'), 'utf8'))) problem('redis', 'cluster mode is off');
const init = services['redis-cluster-init'];
if (init) for (let i = 1; i <= 6; i++) if (!dependsOn(init).includes(`redis-${i}`)) problem('redis-cluster-init', `does not wait for redis-${i}`);

if (!String(services.rabbitmq?.image ?? '').includes('management')) problem('rabbitmq', 'image without the management UI');

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
