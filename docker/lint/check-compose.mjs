// Checks docker/compose.yaml against what the services actually read, so that the file cannot
// drift from the code while no Docker engine runs it: every variable given to a Miaosha service
// is read by that service (application.properties, or the functions' local event source), every
// local-only default a service has (127.0.0.1) is overridden, host names point at compose services,
// ports agree with the services' defaults and nginx's upstreams, mounted files exist. And the
// clustered topology (scripts/lib/cluster-stack.sh's): a six-node Redis cluster with AOF, a MySQL
// writer and read replica, three RabbitMQ nodes forming one cluster with quorum order queues, two
// instances of each service, and nginx's hot, general and gateway upstreams naming every instance.
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
const INSTANCES = 2;
const RABBITMQ_NODES = ['rabbitmq-1', 'rabbitmq-2', 'rabbitmq-3'];
const REDIS_NODES = ['redis-1', 'redis-2', 'redis-3', 'redis-4', 'redis-5', 'redis-6'];
const REQUIRED = ['mysql-writer', 'mysql-replica', ...REDIS_NODES, 'redis-cluster-init', ...RABBITMQ_NODES,
  'elasticmq', 'mailpit', 'phpmyadmin', 'email-function', 'scheduler', 'nginx'];
for (const name of REQUIRED) if (!services[name]) problem(name, 'service is missing');

const env = (service) => {
  const e = service?.environment ?? {};
  return Array.isArray(e) ? Object.fromEntries(e.map((kv) => kv.split(/=(.*)/s).slice(0, 2))) : e;
};
const containerPorts = (service) => (service.ports ?? []).map((p) => Number(String(p).split(':').pop()));
const dependsOn = (service) => Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
const waitsHealthy = (service, dep) => !Array.isArray(service.depends_on) && service.depends_on?.[dep]?.condition === 'service_healthy';
const aliases = (service) => Object.values(service.networks ?? {}).flatMap((n) => n?.aliases ?? []);
// The compose services a host name reaches: the service of that name, or every one with that alias.
const reached = (host) => Object.keys(services).filter((name) => name === host || aliases(services[name]).includes(host));
const moduleOf = (service) => service?.build?.args?.SERVICE;
const instancesOf = (module) => Object.keys(services).filter((name) => moduleOf(services[name]) === module);
const sameSet = (a, b) => a.length === b.length && a.every((x) => b.includes(x));
const hostPort = (text) => {
  const url = /^[a-z]+:\/\//.test(text) ? new URL(text) : new URL(`tcp://${text}`);
  return { host: url.hostname, port: Number(url.port) };
};

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

// The variables a file reads as ${NAME} or ${NAME:default}, with their defaults; profile lines of the
// test profile are skipped (compose never runs it). A default may itself be an expression.
const readVariables = (text) => {
  const vars = new Map();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.startsWith('%test.')) continue;
    for (let at = line.indexOf('${'); at >= 0; at = line.indexOf('${', at + 2)) {
      const name = /^\$\{([A-Z][A-Z0-9_]*)([:}])/.exec(line.slice(at));
      if (!name) continue;
      let depth = 0, end = at;
      for (; end < line.length; end++) {
        if (line.startsWith('${', end)) depth++;
        else if (line[end] === '}' && --depth === 0) break;
      }
      const fallback = name[2] === ':' ? line.slice(at + name[0].length, end) : '';
      if (!vars.has(name[1]) || fallback.length > vars.get(name[1]).length) vars.set(name[1], fallback);
    }
  }
  return vars;
};
const localOnly = (fallback) => /127\.0\.0\.|localhost/.test(fallback);
// RABBITMQ_ADDRESSES replaces host and port: a service given the list needs neither.
const superseded = (key, vars) => ['RABBITMQ_HOST', 'RABBITMQ_PORT'].includes(key) && vars.RABBITMQ_ADDRESSES;

const checkVariables = (name, vars, properties, readByCode = new Map()) => {
  const read = new Map([...readVariables(properties), ...readByCode]);
  for (const key of Object.keys(vars)) {
    // Quarkus itself reads the profile: every service honours it without naming it.
    if (key === 'QUARKUS_PROFILE' || read.has(key)) continue;
    // A QUARKUS_* variable overrides a Quarkus key; accept it when the service uses that extension.
    const extension = key.startsWith('QUARKUS_') ? 'quarkus.' + key.split('_')[1].toLowerCase() + '.' : null;
    if (extension && properties.includes(extension)) continue;
    problem(name, `sets ${key}, which it does not read`);
  }
  return read;
};
const checkLocalDefaults = (name, vars, read, needed = [...read.keys()]) => {
  for (const key of needed) {
    if (localOnly(read.get(key) ?? '') && !(key in vars) && !superseded(key, vars)) {
      problem(name, `does not set ${key}: its default ${read.get(key)} is the container itself`);
    }
  }
};

// The Miaosha services: built from our Dockerfiles, configured with variables they read, two of each.
for (const [module, defaultPort] of Object.entries(MIAOSHA)) {
  const instances = instancesOf(module);
  if (instances.length !== INSTANCES) problem(module, `has ${instances.length} instances (${instances.join(', ') || 'none'}), not ${INSTANCES}`);
  const propertiesFile = join(root, module, 'src/main/resources/application.properties');
  const properties = existsSync(propertiesFile) ? readFileSync(propertiesFile, 'utf8') : null;
  if (!properties) console.log(`note: ${module} has no application.properties yet; its variables are not checked`);
  for (const name of instances) {
    const service = services[name];
    const build = service.build ?? {};
    if (!new RegExp(`^${module}-\\d+$`).test(name)) problem(name, `builds module ${module}, so it should be named ${module}-<n>`);
    if (!existsSync(join(dockerDir, build.context ?? '.', build.dockerfile ?? 'Dockerfile'))) problem(name, 'its Dockerfile is missing');
    const vars = env(service);
    const port = Number(vars.PORT ?? defaultPort);
    if (port !== defaultPort) problem(name, `PORT ${port} differs from the service's ${defaultPort}`);
    if (Number(build.args?.PORT) !== port) problem(name, `the image exposes ${build.args?.PORT} but the service listens on ${port}`);
    if (!containerPorts(service).includes(port)) problem(name, `port ${port} is not published`);
    const healthcheck = JSON.stringify(service.healthcheck?.test ?? '');
    if (!healthcheck.includes(`/${port}`) || !healthcheck.includes('/q/health/ready')) problem(name, `its healthcheck does not ask /q/health/ready on port ${port}`);
    for (const key of ['MIAOSHA_DB_HOST', 'MIAOSHA_DB_READ_HOST', 'RABBITMQ_HOST']) {
      if (vars[key] && !services[vars[key]]) problem(name, `${key}=${vars[key]} is no compose service`);
    }
    if (vars.MIAOSHA_DB_HOST && vars.MIAOSHA_DB_HOST !== 'mysql-writer') problem(name, `writes to ${vars.MIAOSHA_DB_HOST}, not mysql-writer`);
    if (vars.MIAOSHA_DB_READ_HOST && vars.MIAOSHA_DB_READ_HOST !== 'mysql-replica') problem(name, `reads from ${vars.MIAOSHA_DB_READ_HOST}, not mysql-replica`);
    if (!properties) continue;
    const declaredPort = /^quarkus\.http\.port=\$\{PORT:(\d+)\}/m.exec(properties);
    if (!declaredPort) problem(name, 'application.properties does not read PORT for quarkus.http.port');
    else if (Number(declaredPort[1]) !== defaultPort) problem(name, `application.properties defaults to port ${declaredPort[1]}`);
    const read = checkVariables(name, vars, properties);
    checkLocalDefaults(name, vars, read);

    // Redis: the cluster, every node a seed.
    if (read.has('MIAOSHA_REDIS_URL')) {
      const seeds = String(vars.MIAOSHA_REDIS_URL ?? '').split(',').filter(Boolean).map((url) => hostPort(url));
      for (const { host, port: p } of seeds) if (!REDIS_NODES.includes(host) || p !== 7000) problem(name, `MIAOSHA_REDIS_URL names ${host}:${p}, not a cluster node`);
      const missing = REDIS_NODES.filter((node) => !seeds.some((s) => s.host === node));
      if (missing.length) problem(name, `MIAOSHA_REDIS_URL lacks ${missing.join(', ')}`);
      if (vars.QUARKUS_REDIS_CLIENT_TYPE !== 'cluster') problem(name, 'uses Redis without QUARKUS_REDIS_CLIENT_TYPE=cluster');
      if (!dependsOn(service).includes('redis-cluster-init')) problem(name, 'does not wait for the Redis cluster to form');
    }
    // RabbitMQ: the three nodes, quorum order queues, started once the cluster has formed.
    if (read.has('RABBITMQ_ADDRESSES')) {
      const listed = String(vars.RABBITMQ_ADDRESSES ?? '').split(',').filter(Boolean).map((a) => hostPort(a));
      if (!sameSet(listed.map((a) => a.host), RABBITMQ_NODES) || listed.some((a) => a.port !== 5672)) {
        problem(name, `RABBITMQ_ADDRESSES=${vars.RABBITMQ_ADDRESSES ?? ''} should list ${RABBITMQ_NODES.map((n) => `${n}:5672`).join(',')}`);
      }
      if (vars.MIAOSHA_QUEUE_TYPE !== 'quorum') problem(name, `MIAOSHA_QUEUE_TYPE=${vars.MIAOSHA_QUEUE_TYPE} on the three-node cluster, not quorum`);
      for (const node of RABBITMQ_NODES) if (!waitsHealthy(service, node)) problem(name, `does not wait for ${node} to be healthy (in the cluster)`);
    }
    // MySQL: one instance applies the migrations; the others start once it is ready.
    if (read.has('MIAOSHA_DB_HOST') || properties.includes('quarkus.flyway.')) {
      for (const store of ['mysql-writer', 'mysql-replica']) if (!waitsHealthy(service, store)) problem(name, `does not wait for ${store}`);
    }
  }
}
const migrators = Object.keys(services).filter((name) => moduleOf(services[name]) && env(services[name]).QUARKUS_FLYWAY_MIGRATE_AT_START !== 'false'
  && readFileSync(join(root, moduleOf(services[name]), 'src/main/resources/application.properties'), 'utf8').includes('quarkus.flyway.migrate-at-start=true'));
if (migrators.length !== 1) problem('flyway', `${migrators.length} instances apply the migrations (${migrators.join(', ')}), not one`);
for (const name of Object.keys(services)) {
  if (!moduleOf(services[name]) || migrators.includes(name) || !existsSync(join(root, moduleOf(services[name]), 'src/main/resources/application.properties'))) continue;
  const usesMySql = readFileSync(join(root, moduleOf(services[name]), 'src/main/resources/application.properties'), 'utf8').includes('quarkus.flyway.');
  if (usesMySql && migrators.length === 1 && !waitsHealthy(services[name], migrators[0])) problem(name, `starts before ${migrators[0]} has applied the migrations`);
}

// ElasticMQ: the worker queues the email jobs on a queue elasticmq.conf declares, the email function
// consumes that queue.
const elasticmq = readFileSync(join(dockerDir, 'elasticmq/elasticmq.conf'), 'utf8');
const queueUrlOk = (where, url) => {
  if (!url) return problem(where, 'names no email queue');
  const { host, port } = hostPort(url);
  const queue = new URL(url).pathname.split('/').pop();
  if (host !== 'elasticmq' || port !== 9324) problem(where, `email queue ${url} is not on elasticmq:9324`);
  if (!new RegExp(`^\\s*${queue}\\s*\\{`, 'm').test(elasticmq)) problem(where, `elasticmq.conf declares no queue ${queue}`);
};
// The API queues the verification emails on the same queue. Their production profile goes to AWS with
// the default credentials chain: a service sent to ElasticMQ must say so, with the static keys.
for (const name of [...instancesOf('order-worker'), ...instancesOf('flash-sale-api')]) {
  const vars = env(services[name]);
  queueUrlOk(name, vars.MIAOSHA_EMAIL_QUEUE_URL);
  if (!vars.MIAOSHA_SQS_ENDPOINT) problem(name, 'names no MIAOSHA_SQS_ENDPOINT: the production profile would go to AWS');
  else if (hostPort(vars.MIAOSHA_SQS_ENDPOINT).host !== 'elasticmq') problem(name, `MIAOSHA_SQS_ENDPOINT=${vars.MIAOSHA_SQS_ENDPOINT} is not elasticmq`);
  if (vars.MIAOSHA_SQS_CREDENTIALS !== 'static') problem(name, `MIAOSHA_SQS_CREDENTIALS=${vars.MIAOSHA_SQS_CREDENTIALS ?? ''} with ElasticMQ, not static (the production default is the AWS chain)`);
}

// The functions package behind its local event source: the email function on the worker's queue,
// sending to Mailpit; the scheduler calling the API with the arming key.
const functionsProperties = readFileSync(join(root, 'functions/src/main/resources/application.properties'), 'utf8');
const eventSource = readFileSync(join(root, 'functions/src/main/java/io/miaosha/functions/local/LocalEventSource.java'), 'utf8');
const eventSourceReads = new Map([...eventSource.matchAll(/(?:env|seconds)\("([A-Z_]+)", ([^)]*)\)/g)].map((m) => [m[1], m[2]]));
const FUNCTIONS = {
  'email-function': { mode: 'sqs', needs: ['QUEUE_URL', 'MIAOSHA_SMTP_HOST', 'MIAOSHA_SMTP_PORT'] },
  scheduler: { mode: 'schedule', needs: ['MIAOSHA_API_URL', 'MIAOSHA_ARMING_KEY'] },
};
for (const [name, { mode, needs }] of Object.entries(FUNCTIONS)) {
  const service = services[name];
  if (!service) continue;
  if (service.build?.dockerfile !== 'docker/Dockerfile.functions' || !existsSync(join(dockerDir, 'Dockerfile.functions'))) problem(name, 'is not built from docker/Dockerfile.functions');
  if (JSON.stringify(service.command) !== JSON.stringify([mode])) problem(name, `runs ${JSON.stringify(service.command)}, not the event source's ${mode} mode`);
  const vars = env(service);
  const read = checkVariables(name, vars, functionsProperties, eventSourceReads);
  for (const key of needs) if (!(key in vars)) problem(name, `does not set ${key}`);
  checkLocalDefaults(name, vars, read, needs);
}
const emailFunction = env(services['email-function']);
queueUrlOk('email-function', emailFunction.QUEUE_URL);
const workerQueues = new Set(instancesOf('order-worker').map((name) => env(services[name]).MIAOSHA_EMAIL_QUEUE_URL));
if (workerQueues.size !== 1 || !workerQueues.has(emailFunction.QUEUE_URL)) problem('email-function', `polls ${emailFunction.QUEUE_URL}, not the workers' queue ${[...workerQueues].join(', ')}`);
if (emailFunction.MIAOSHA_SMTP_HOST !== 'mailpit' || !containerPorts(services.mailpit ?? {}).includes(Number(emailFunction.MIAOSHA_SMTP_PORT))) {
  problem('email-function', `sends to ${emailFunction.MIAOSHA_SMTP_HOST}:${emailFunction.MIAOSHA_SMTP_PORT}, not Mailpit's SMTP port`);
}
const schedulerVars = env(services.scheduler);
if (schedulerVars.MIAOSHA_API_URL) {
  const { host, port } = hostPort(schedulerVars.MIAOSHA_API_URL);
  const targets = reached(host);
  if (!targets.length || targets.some((t) => moduleOf(services[t]) !== 'flash-sale-api') || port !== MIAOSHA['flash-sale-api']) problem('scheduler', `MIAOSHA_API_URL=${schedulerVars.MIAOSHA_API_URL} is not the API`);
  for (const t of targets) if (!waitsHealthy(services.scheduler, t)) problem('scheduler', `does not wait for ${t}`);
}
const apiArmingKeys = new Set(instancesOf('flash-sale-api').map((name) => env(services[name]).MIAOSHA_ARMING_KEY));
if (apiArmingKeys.size !== 1 || !apiArmingKeys.has(schedulerVars.MIAOSHA_ARMING_KEY)) problem('scheduler', 'has another arming key than the API instances');

// nginx: the rendered template's variables are all set; the hot upstream takes the purchase route, the
// general one the rest of /api, the gateway one /ws; each names every instance of its service on its port.
const nginx = services.nginx;
if (nginx) {
  const vars = env(nginx);
  const template = readFileSync(join(dockerDir, 'nginx/miaosha.conf.template'), 'utf8');
  for (const [, name] of template.matchAll(/\$\{([A-Z_]+)\}/g)) if (!(name in vars)) problem('nginx', `template needs ${name}`);
  const upstreams = new Map([...template.matchAll(/^upstream (\w+) \{\n([\s\S]*?)^\}/gm)]
    .map(([, name, body]) => [name, [...body.matchAll(/^\s*server \$\{([A-Z_]+)\};/gm)].map((m) => m[1])]));
  const routedTo = (location) => {
    const block = new RegExp(`location ${location.replace(/[.*+?^$()[\]\\/|{}]/g, '\\$&')} \\{([^}]*)\\}`).exec(template)?.[1] ?? '';
    return /proxy_pass http:\/\/(\w+);/.exec(block)?.[1];
  };
  const ROUTES = [
    { location: '~* ^/api/sales/[^/]+/(purchase|seats/pick)$', upstream: 'miaosha_api_hot', variable: 'API_HOT_UPSTREAM', module: 'flash-sale-api' },
    { location: '/api/', upstream: 'miaosha_api', variable: 'API_UPSTREAM', module: 'flash-sale-api' },
    { location: '~* ^/api/auth/(login|signup)$', upstream: 'miaosha_api', variable: 'API_UPSTREAM', module: 'flash-sale-api' },
    { location: '/ws/', upstream: 'miaosha_gateway', variable: 'GATEWAY_UPSTREAM', module: 'queue-gateway' },
    { location: '= /ws/me/orders', upstream: 'miaosha_gateway', variable: 'GATEWAY_UPSTREAM', module: 'queue-gateway' },
  ];
  for (const { location, upstream, variable, module } of ROUTES) {
    const routed = routedTo(location);
    if (routed !== upstream) problem('nginx', `the template routes ${location} to ${routed}, not ${upstream}`);
    if (JSON.stringify(upstreams.get(upstream)) !== JSON.stringify([variable])) problem('nginx', `upstream ${upstream} is not the one server \${${variable}}`);
    const { host, port } = hostPort(String(vars[variable] ?? ''));
    const targets = reached(host);
    const want = instancesOf(module);
    if (!sameSet(targets, want)) problem('nginx', `${variable}=${vars[variable]} reaches ${targets.join(', ') || 'nothing'}, not every ${module} instance (${want.join(', ')})`);
    if (port !== MIAOSHA[module]) problem('nginx', `${variable}=${vars[variable]} is not ${module}'s port ${MIAOSHA[module]}`);
    // nginx resolves the name once, at start: every instance must be up by then.
    for (const t of want) if (!waitsHealthy(nginx, t)) problem('nginx', `starts before ${t} is ready, so ${variable} may miss it`);
  }
  if (!/^upstream miaosha_gateway \{\n(?:(?!^\})[\s\S])*least_conn;/m.test(template)) problem('nginx', 'the gateway upstream does not balance by least connections');
  if (!containerPorts(nginx).includes(Number(vars.EDGE_PORT))) problem('nginx', `EDGE_PORT ${vars.EDGE_PORT} is not published`);
  // The API believes X-Forwarded-For from nginx alone: its fixed address, inside the network's subnet.
  const address = nginx.networks?.default?.ipv4_address;
  const subnet = compose.networks?.default?.ipam?.config?.[0]?.subnet ?? '';
  if (!address || !subnet.startsWith(address.split('.').slice(0, 3).join('.') + '.')) problem('nginx', `has no fixed address in the network's subnet ${subnet}`);
  for (const name of instancesOf('flash-sale-api')) {
    if (env(services[name]).MIAOSHA_EDGE_TRUSTED_PROXIES !== `${address}/32`) problem(name, `trusts ${env(services[name]).MIAOSHA_EDGE_TRUSTED_PROXIES}, not nginx's ${address}/32`);
  }
}

// MySQL: the replica follows the writer service, with its own server id, and refuses writes; the
// services' user can log in without TLS (their driver's caching_sha2_password needs TLS or a key).
const cnf = (file) => readFileSync(join(dockerDir, 'mysql', file), 'utf8');
const serverId = (text) => /^server-id\s*=\s*(\d+)/m.exec(text)?.[1];
if (serverId(cnf('writer.cnf')) === serverId(cnf('replica.cnf'))) problem('mysql-replica', 'has the writer\'s server-id');
if (!/^super-read-only\s*=\s*ON/m.test(cnf('replica.cnf'))) problem('mysql-replica', 'accepts writes');
if (!/^log-bin\s*=/m.test(cnf('writer.cnf'))) problem('mysql-writer', 'writes no binary log for the replica');
const sourceHost = /SOURCE_HOST\s*=\s*'([^']+)'/.exec(cnf('replica-init.sql'))?.[1];
if (sourceHost !== 'mysql-writer') problem('mysql-replica', `follows ${sourceHost} instead of mysql-writer`);
const dbUser = env(services['mysql-writer']).MYSQL_USER;
if (!new RegExp(`ALTER USER '${dbUser}'@'%' IDENTIFIED WITH mysql_native_password`).test(cnf('writer-init.sql'))) problem('mysql-writer', `user ${dbUser} keeps caching_sha2_password, which the services' driver refuses without TLS`);
for (const file of ['writer.cnf', 'replica.cnf']) if (!/^mysql-native-password\s*=\s*ON/m.test(cnf(file))) problem(file, 'does not load mysql_native_password');

// Redis: six cluster nodes with an append-only file, all joined by the one-shot init.
const redisConf = readFileSync(join(dockerDir, 'redis/redis-cluster.conf'), 'utf8');
if (!/^cluster-enabled yes/m.test(redisConf)) problem('redis', 'cluster mode is off');
if (!/^appendonly yes/m.test(redisConf)) problem('redis', 'the nodes keep no append-only file');
const init = services['redis-cluster-init'];
if (init) {
  for (const node of REDIS_NODES) if (!dependsOn(init).includes(node)) problem('redis-cluster-init', `does not wait for ${node}`);
  if (!sameSet((init.command ?? []).filter((arg) => /^redis-\d$/.test(arg)), REDIS_NODES)) problem('redis-cluster-init', `does not join all of ${REDIS_NODES.join(', ')}`);
}

// RabbitMQ: three nodes named rabbit@<hostname>, one Erlang cookie, the peer list of cluster.conf
// naming exactly them, healthy only once all three run in the cluster.
const rabbitConf = readFileSync(join(dockerDir, 'rabbitmq/cluster.conf'), 'utf8');
if (!/^cluster_formation\.peer_discovery_backend\s*=\s*classic_config\s*$/m.test(rabbitConf)) problem('rabbitmq', 'cluster.conf does not form the cluster by classic config peer discovery');
const peers = [...rabbitConf.matchAll(/^cluster_formation\.classic_config\.nodes\.\w+\s*=\s*(\S+)/gm)].map((m) => m[1]);
const cookies = new Set();
for (const name of RABBITMQ_NODES) {
  const node = services[name];
  if (!node) continue;
  if (!String(node.image ?? '').includes('management')) problem(name, 'image without the management UI');
  if (node.hostname !== name) problem(name, `hostname ${node.hostname} is not its service name, which the other nodes resolve`);
  if (!peers.includes(`rabbit@${name}`)) problem(name, `cluster.conf does not list rabbit@${name}`);
  if (!(node.volumes ?? []).some((v) => /^\.\/rabbitmq\/cluster\.conf:\/etc\/rabbitmq\/conf\.d\/[\w-]+\.conf/.test(String(v)))) problem(name, 'does not mount rabbitmq/cluster.conf into /etc/rabbitmq/conf.d');
  const cookie = env(node).RABBITMQ_ERLANG_COOKIE;
  if (!cookie) problem(name, 'has no RABBITMQ_ERLANG_COOKIE');
  cookies.add(cookie);
  if (!JSON.stringify(node.healthcheck?.test ?? '').includes(`await_online_nodes ${RABBITMQ_NODES.length}`)) problem(name, `is healthy before all ${RABBITMQ_NODES.length} nodes are in the cluster`);
  if (!containerPorts(node).includes(5672)) problem(name, 'does not publish AMQP');
}
if (cookies.size > 1) problem('rabbitmq', 'the nodes have different Erlang cookies, so they cannot cluster');
if (!sameSet(peers, RABBITMQ_NODES.map((n) => `rabbit@${n}`))) problem('rabbitmq', `cluster.conf lists ${peers.join(', ')}, not the ${RABBITMQ_NODES.length} nodes`);
if (services.rabbitmq) problem('rabbitmq', 'a single broker beside the cluster');

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`compose.yaml: ${Object.keys(services).length} services, the clustered topology holds`);
