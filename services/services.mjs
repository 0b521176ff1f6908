#!/usr/bin/env node
// Local Kafka (KRaft) + Elasticsearch for integration tests, from Maven Central artifacts.
//
//   node services/services.mjs start [kafka|elasticsearch]
//   node services/services.mjs stop [kafka|elasticsearch]
//   node services/services.mjs status [kafka|elasticsearch]
//   node services/services.mjs kafka-run <main class> [args...]   (run a Kafka CLI tool)
//   node services/services.mjs runtime                            (JSON paths for private test servers)
//
// Plain ESM, Node built-ins only. See services/README.md.

import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');
const env = process.env;

function intEnv(name, def) {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    process.stderr.write(`[services] ERROR: ${name} must be a positive integer, got "${raw}"\n`);
    process.exit(2);
  }
  return n;
}

const HOST = '127.0.0.1';
const SERVICES_DIR = path.resolve(env.SERVICES_DIR || path.join(REPO, '.services'));
const READY_TIMEOUT_S = intEnv('SERVICES_READY_TIMEOUT_S', 180);
const STOP_TIMEOUT_S = intEnv('SERVICES_STOP_TIMEOUT_S', 30);
const KAFKA_PORT = intEnv('KAFKA_PORT', 9092);
const KAFKA_CONTROLLER_PORT = intEnv('KAFKA_CONTROLLER_PORT', KAFKA_PORT + 1);
const KAFKA_HEAP_OPTS = env.KAFKA_HEAP_OPTS || '-Xms256m -Xmx512m';
const KAFKA_AUTO_CREATE_TOPICS = (env.KAFKA_AUTO_CREATE_TOPICS || 'true') !== 'false';
const ES_PORT = intEnv('ES_PORT', 9200);
const ES_TRANSPORT_PORT = intEnv('ES_TRANSPORT_PORT', 9300);
const ES_HEAP_OPTS = env.ES_HEAP_OPTS || '-Xms512m -Xmx1g';
const MVN = env.MVN || 'mvn';
// Optional: a Maven local repository other than ~/.m2/repository (e.g. a project-owned folder).
const M2_REPO = env.SERVICES_M2_REPO ? path.resolve(env.SERVICES_M2_REPO) : null;

const KAFKA_DIR = path.join(SERVICES_DIR, 'kafka');
const ES_DIR = path.join(SERVICES_DIR, 'elasticsearch');
const T0 = Date.now();

// ---------------------------------------------------------------------------- small helpers

function log(msg) {
  const s = ((Date.now() - T0) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[services ${s}s] ${msg}\n`);
}

class ServiceError extends Error {}

function fail(msg) {
  throw new ServiceError(msg);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const exists = (p) => fs.existsSync(p);
const mkdirp = (p) => fs.mkdirSync(p, { recursive: true });
const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

function writeIfChanged(file, text) {
  if (exists(file) && fs.readFileSync(file, 'utf8') === text) return;
  fs.writeFileSync(file, text);
}

function tail(file, lines = 40) {
  if (!exists(file)) return `  (no ${file})`;
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const len = Math.min(size, 64 * 1024);
    const buf = Buffer.alloc(len);
    fs.readSync(fd, buf, 0, len, size - len);
    const out = buf.toString('utf8').split('\n');
    if (out.length && out[out.length - 1] === '') out.pop();
    return out
      .slice(-lines)
      .map((l) => `  | ${l}`)
      .join('\n');
  } finally {
    fs.closeSync(fd);
  }
}

function onPath(cmd) {
  for (const dir of (env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return null;
}

let cachedJavaHome;
function javaHome() {
  if (cachedJavaHome) return cachedJavaHome;
  let home = env.JAVA_HOME;
  if (!home || !exists(path.join(home, 'bin', 'java'))) {
    const java = onPath('java');
    if (!java) fail('java not found: install a JDK 17+ or set JAVA_HOME');
    home = path.dirname(path.dirname(fs.realpathSync(java)));
  }
  const release = path.join(home, 'release');
  if (exists(release)) {
    const m = /JAVA_VERSION="(\d+)/.exec(fs.readFileSync(release, 'utf8'));
    if (m && Number(m[1]) < 17) fail(`Java 17+ is required, ${home} is Java ${m[1]}`);
  }
  cachedJavaHome = home;
  return home;
}
const javaBin = () => path.join(javaHome(), 'bin', 'java');

function mvn(args, what) {
  const full = ['-B', '-q', '-Dstyle.color=never', ...(M2_REPO ? [`-Dmaven.repo.local=${M2_REPO}`] : []), ...args];
  const r = spawnSync(MVN, full, { encoding: 'utf8', cwd: HERE, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) fail(`could not run Maven (${MVN}) for ${what}: ${r.error.message}`);
  if (r.status !== 0) {
    const out = `${r.stdout || ''}${r.stderr || ''}`.trim().split('\n').slice(-40).join('\n');
    fail(`Maven failed for ${what} (exit ${r.status}): ${MVN} ${full.join(' ')}\n${out}`);
  }
}

// ---------------------------------------------------------------------------- processes

function readPid(file) {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

// True when pid is alive and (where /proc exists) its command line carries all the markers,
// so a recycled pid is never mistaken for our service.
function isOurProcess(pid, markers) {
  if (!pid || !alive(pid)) return false;
  const procFile = `/proc/${pid}/cmdline`;
  if (!exists('/proc/self/cmdline')) return true;
  try {
    const cmd = fs.readFileSync(procFile, 'utf8').replace(/\0/g, ' ');
    if (cmd.trim() === '') return false; // zombie
    return markers.every((m) => cmd.includes(m));
  } catch {
    return false;
  }
}

function portOpen(port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const s = net.connect({ host: HOST, port });
    const done = (v) => {
      s.destroy();
      resolve(v);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

async function terminate(name, pid, markers) {
  if (!isOurProcess(pid, markers)) return false;
  log(`${name}: stopping pid ${pid} (SIGTERM)`);
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return true;
  }
  const deadline = Date.now() + STOP_TIMEOUT_S * 1000;
  while (Date.now() < deadline) {
    if (!isOurProcess(pid, markers)) return true;
    await sleep(200);
  }
  log(`${name}: still running after ${STOP_TIMEOUT_S}s, sending SIGKILL`);
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
  const killDeadline = Date.now() + 10_000;
  while (Date.now() < killDeadline && isOurProcess(pid, markers)) await sleep(100);
  if (isOurProcess(pid, markers)) fail(`${name}: pid ${pid} survived SIGKILL`);
  return true;
}

function groupAlive(pgid) {
  if (!pgid) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

// True when process group pgid has a live member whose command line contains marker, so a
// stale pgid (e.g. after a reboot) never leads to signalling unrelated processes.
function groupIsOurs(pgid, marker) {
  if (!pgid || !groupAlive(pgid)) return false;
  if (exists('/proc/self/stat')) {
    for (const d of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state ppid pgrp ...
        if (Number(fields[2]) !== pgid || fields[0] === 'Z') continue;
        if (fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(marker)) return true;
      } catch {
        // process went away
      }
    }
    return false;
  }
  const r = spawnSync('ps', ['-eo', 'pgid=,args='], { encoding: 'utf8' });
  if (r.status !== 0) return false;
  return r.stdout.split('\n').some((l) => {
    const m = /^\s*(\d+)\s+(.*)$/.exec(l);
    return m && Number(m[1]) === pgid && m[2].includes(marker);
  });
}

// Ends a whole process group (a detached launcher and everything it started).
async function terminateGroup(name, pgid, marker) {
  const groupAlive = (g) => groupIsOurs(g, marker);
  if (!groupAlive(pgid)) return false;
  log(`${name}: stopping process group ${pgid} (SIGTERM)`);
  const deadline = Date.now() + STOP_TIMEOUT_S * 1000;
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    return true;
  }
  while (Date.now() < deadline && groupAlive(pgid)) await sleep(200);
  if (groupAlive(pgid)) {
    log(`${name}: process group ${pgid} still running after ${STOP_TIMEOUT_S}s, sending SIGKILL`);
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // gone
    }
    const killDeadline = Date.now() + 10_000;
    while (Date.now() < killDeadline && groupAlive(pgid)) await sleep(100);
  }
  return true;
}

// ---------------------------------------------------------------------------- Kafka

const kafka = {
  name: 'kafka',
  pidFile: path.join(KAFKA_DIR, 'kafka.pid'),
  configFile: path.join(KAFKA_DIR, 'config', 'server.properties'),
  dataDir: path.join(KAFKA_DIR, 'data'),
  logsDir: path.join(KAFKA_DIR, 'logs'),
  get markers() {
    return ['kafka.Kafka', this.configFile];
  },
  pid() {
    return readPid(this.pidFile);
  },
  running() {
    return isOurProcess(this.pid(), this.markers);
  },
  endpoint: `${HOST}:${KAFKA_PORT}`,
  port: KAFKA_PORT,

  // Resolves the jars with Maven once; the classpath is cached in the data folder, keyed by
  // the pom's content, so later starts run no Maven at all (fast, offline).
  classpath() {
    const pom = path.join(HERE, 'kafka', 'pom.xml');
    const key = sha256(fs.readFileSync(pom));
    const cpFile = path.join(KAFKA_DIR, 'classpath.txt');
    const keyFile = path.join(KAFKA_DIR, 'classpath.key');
    if (exists(cpFile) && exists(keyFile) && fs.readFileSync(keyFile, 'utf8').trim() === key) {
      const cp = fs.readFileSync(cpFile, 'utf8').trim();
      if (cp && cp.split(path.delimiter).every((j) => exists(j))) return cp;
    }
    mkdirp(KAFKA_DIR);
    log(`kafka: resolving jars with Maven (first run downloads them into ${M2_REPO || '~/.m2/repository'})...`);
    const work = path.join(SERVICES_DIR, '.maven', 'kafka');
    fs.rmSync(work, { recursive: true, force: true });
    const tmp = `${cpFile}.tmp`;
    mvn(['-f', pom, 'dependency:build-classpath', `-Dmdep.outputFile=${tmp}`, `-Dservices.work=${work}`], 'Kafka');
    const cp = fs.readFileSync(tmp, 'utf8').trim();
    if (!cp) fail('Maven produced an empty Kafka classpath');
    fs.renameSync(tmp, cpFile);
    fs.writeFileSync(keyFile, `${key}\n`);
    log(`kafka: ${cp.split(path.delimiter).length} jars resolved, classpath cached in ${cpFile}`);
    return cp;
  },

  writeConfig() {
    const confDir = path.dirname(this.configFile);
    mkdirp(confDir);
    mkdirp(this.dataDir);
    mkdirp(this.logsDir);
    writeIfChanged(
      this.configFile,
      [
        '# Generated by services/services.mjs on every start; edits are overwritten.',
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.voters=1@${HOST}:${KAFKA_CONTROLLER_PORT}`,
        `listeners=PLAINTEXT://${HOST}:${KAFKA_PORT},CONTROLLER://${HOST}:${KAFKA_CONTROLLER_PORT}`,
        `advertised.listeners=PLAINTEXT://${HOST}:${KAFKA_PORT}`,
        'controller.listener.names=CONTROLLER',
        'inter.broker.listener.name=PLAINTEXT',
        'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        `log.dirs=${this.dataDir}`,
        'num.partitions=3',
        'default.replication.factor=1',
        'min.insync.replicas=1',
        `auto.create.topics.enable=${KAFKA_AUTO_CREATE_TOPICS}`,
        'offsets.topic.replication.factor=1',
        'offsets.topic.num.partitions=3',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'transaction.state.log.num.partitions=3',
        'share.coordinator.state.topic.replication.factor=1',
        'share.coordinator.state.topic.min.isr=1',
        'group.initial.rebalance.delay.ms=0',
        'num.network.threads=2',
        'num.io.threads=4',
        'num.recovery.threads.per.data.dir=1',
        'log.retention.hours=168',
        // The log cleaner's dedupe map is one heap buffer, 128 MiB by default: a quarter of this broker's heap, held
        // for the life of the process, kept G1 above its marking threshold (a concurrent cycle about every 20 s under
        // load). The compacted topics here (consumer offsets) are small; 16 MiB leaves ~90 MiB live instead of ~190.
        'log.cleaner.dedupe.buffer.size=16777216',
        '',
      ].join('\n'),
    );
    writeIfChanged(path.join(confDir, 'log4j2.properties'), log4j2Kafka(`${this.logsDir}/server.log`, 'INFO'));
    writeIfChanged(path.join(confDir, 'tools-log4j2.properties'), log4j2Console('WARN'));
  },

  jvmArgs(cp) {
    return [
      ...KAFKA_HEAP_OPTS.split(/\s+/).filter(Boolean),
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-XX:InitiatingHeapOccupancyPercent=35',
      '-XX:+ExplicitGCInvokesConcurrent',
      '-XX:+ExitOnOutOfMemoryError',
      // As Elasticsearch's distribution does: a broker pause shows up in every produce and fetch, so keep its record.
      `-Xlog:gc*,safepoint:file=${this.logsDir}/gc.log:utctime,level,pid,tags:filecount=2,filesize=16m`,
      '-Djava.awt.headless=true',
      `-Dkafka.logs.dir=${this.logsDir}`,
      `-Dlog4j2.configurationFile=${path.join(path.dirname(this.configFile), 'log4j2.properties')}`,
      '-cp',
      cp,
    ];
  },

  format(cp) {
    if (exists(path.join(this.dataDir, 'meta.properties'))) return;
    const clusterId = kafkaClusterId();
    log(`kafka: formatting KRaft storage in ${this.dataDir} (cluster id ${clusterId})`);
    const r = spawnSync(
      javaBin(),
      [
        '-Xmx256m',
        `-Dlog4j2.configurationFile=${path.join(path.dirname(this.configFile), 'tools-log4j2.properties')}`,
        '-cp',
        cp,
        'kafka.tools.StorageTool',
        'format',
        '--config',
        this.configFile,
        '--cluster-id',
        clusterId,
      ],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) fail(`kafka: storage format failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  },

  async prepare() {
    const cp = this.classpath();
    this.writeConfig();
    this.format(cp);
    return cp;
  },

  launch(cp) {
    const out = fs.openSync(path.join(this.logsDir, 'kafka.out'), 'a');
    fs.writeSync(out, `\n===== ${new Date().toISOString()} start =====\n`);
    const child = spawn(javaBin(), [...this.jvmArgs(cp), 'kafka.Kafka', this.configFile], {
      cwd: KAFKA_DIR,
      detached: true,
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    fs.writeFileSync(this.pidFile, `${child.pid}\n`);
    child.unref();
    const state = { exited: false, code: null };
    child.once('exit', (code, sig) => Object.assign(state, { exited: true, code: code ?? sig }));
    child.once('error', (e) => Object.assign(state, { exited: true, code: e.message }));
    return state;
  },

  async ready() {
    try {
      const md = await kafkaMetadata(KAFKA_PORT, 3000);
      return md.brokers.length > 0 ? md : null;
    } catch {
      return null;
    }
  },

  describeReady(md) {
    return `${this.endpoint} (cluster ${md.clusterId}, ${md.brokers.length} broker)`;
  },

  logHint() {
    return `${path.join(this.logsDir, 'server.log')}:\n${tail(path.join(this.logsDir, 'server.log'))}\n${path.join(
      this.logsDir,
      'kafka.out',
    )}:\n${tail(path.join(this.logsDir, 'kafka.out'), 20)}`;
  },

  // Running, or still starting up.
  active() {
    return this.running();
  },

  state() {
    return this.running() ? `running, pid ${this.pid()}` : null;
  },

  async stop() {
    const pid = this.pid();
    const did = pid ? await terminate(this.name, pid, this.markers) : false;
    fs.rmSync(this.pidFile, { force: true });
    return { did, stale: !did && pid };
  },
};

function kafkaClusterId() {
  // Same shape as Kafka's Uuid: 16 random bytes, base64url without padding, not starting with '-'.
  for (;;) {
    const id = crypto.randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function log4j2Kafka(file, level) {
  return [
    '# Generated by services/services.mjs.',
    'status = warn',
    'appender.file.type = RollingFile',
    'appender.file.name = FILE',
    `appender.file.fileName = ${file}`,
    `appender.file.filePattern = ${file}.%i`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'appender.file.policies.type = Policies',
    'appender.file.policies.size.type = SizeBasedTriggeringPolicy',
    'appender.file.policies.size.size = 20MB',
    'appender.file.strategy.type = DefaultRolloverStrategy',
    'appender.file.strategy.max = 3',
    `rootLogger.level = ${level}`,
    'rootLogger.appenderRef.file.ref = FILE',
    'logger.kafkaRequest.name = kafka.request.logger',
    'logger.kafkaRequest.level = WARN',
    'logger.stateChange.name = state.change.logger',
    'logger.stateChange.level = WARN',
    '',
  ].join('\n');
}

function log4j2Console(level) {
  return [
    'status = warn',
    'appender.err.type = Console',
    'appender.err.name = STDERR',
    'appender.err.target = SYSTEM_ERR',
    'appender.err.layout.type = PatternLayout',
    'appender.err.layout.pattern = [%d] %p %m (%c)%n',
    `rootLogger.level = ${level}`,
    'rootLogger.appenderRef.err.ref = STDERR',
    '',
  ].join('\n');
}

// Minimal Kafka wire-protocol client: ApiVersions v0, then Metadata (v4..v8, no topics).
// A broker answering Metadata with itself in the broker list is up and serving requests.
function kafkaMetadata(port, timeoutMs) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: HOST, port });
    let buf = Buffer.alloc(0);
    let step = 'apiVersions';
    const timer = setTimeout(() => finish(new Error('timeout')), timeoutMs);
    function finish(err, value) {
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(value);
    }
    function request(apiKey, version, corr, body) {
      const clientId = Buffer.from('services-ready-check');
      const header = Buffer.alloc(10);
      header.writeInt16BE(apiKey, 0);
      header.writeInt16BE(version, 2);
      header.writeInt32BE(corr, 4);
      header.writeInt16BE(clientId.length, 8);
      const len = Buffer.alloc(4);
      len.writeInt32BE(header.length + clientId.length + body.length);
      sock.write(Buffer.concat([len, header, clientId, body]));
    }
    sock.on('error', (e) => finish(e));
    sock.on('close', () => finish(new Error('connection closed')));
    sock.on('connect', () => request(18, 0, 1, Buffer.alloc(0)));
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 4) return;
      const size = buf.readInt32BE(0);
      if (buf.length < 4 + size) return;
      const msg = buf.subarray(4, 4 + size);
      buf = buf.subarray(4 + size);
      try {
        if (step === 'apiVersions') {
          let o = 4; // correlation id
          const err = msg.readInt16BE(o);
          o += 2;
          if (err !== 0) return finish(new Error(`ApiVersions error ${err}`));
          const n = msg.readInt32BE(o);
          o += 4;
          let range = null;
          for (let i = 0; i < n; i++) {
            const key = msg.readInt16BE(o);
            if (key === 3) range = [msg.readInt16BE(o + 2), msg.readInt16BE(o + 4)];
            o += 6;
          }
          if (!range) return finish(new Error('broker does not list Metadata'));
          const v = Math.max(range[0], 4);
          if (v > 8 || v > range[1]) return finish(new Error(`no supported Metadata version in ${range}`));
          step = 'metadata';
          const body = Buffer.alloc(v >= 8 ? 7 : 5);
          body.writeInt32BE(0, 0); // topics: empty array
          body.writeInt8(0, 4); // allow_auto_topic_creation
          request(3, v, 2, body);
        } else {
          let o = 4 + 4; // correlation id, throttle_time_ms
          const str = () => {
            const l = msg.readInt16BE(o);
            o += 2;
            if (l < 0) return null;
            const s = msg.toString('utf8', o, o + l);
            o += l;
            return s;
          };
          const n = msg.readInt32BE(o);
          o += 4;
          const brokers = [];
          for (let i = 0; i < n; i++) {
            const id = msg.readInt32BE(o);
            o += 4;
            const host = str();
            const p = msg.readInt32BE(o);
            o += 4;
            str(); // rack
            brokers.push({ id, host, port: p });
          }
          const clusterId = str();
          const controllerId = msg.readInt32BE(o);
          finish(null, { brokers, clusterId, controllerId });
        }
      } catch (e) {
        finish(e);
      }
    });
  });
}

// ---------------------------------------------------------------------------- Elasticsearch

const es = {
  name: 'elasticsearch',
  pidFile: path.join(ES_DIR, 'elasticsearch.pid'), // written by Elasticsearch itself (-p)
  launcherPidFile: path.join(ES_DIR, 'launcher.pid'), // our launcher = process group of launcher + server
  confDir: path.join(ES_DIR, 'config'),
  dataDir: path.join(ES_DIR, 'data'),
  logsDir: path.join(ES_DIR, 'logs'),
  tmpDir: path.join(ES_DIR, 'tmp'),
  home: null,
  version: null,
  get markers() {
    return ['org.elasticsearch.server', `-Des.path.home=${path.join(ES_DIR, 'dist')}`];
  },
  pid() {
    return readPid(this.pidFile);
  },
  running() {
    return isOurProcess(this.pid(), this.markers);
  },
  endpoint: `http://${HOST}:${ES_PORT}`,
  port: ES_PORT,

  readVersion() {
    const pom = path.join(HERE, 'elasticsearch', 'pom.xml');
    const pomText = fs.readFileSync(pom, 'utf8');
    const m = /<elasticsearch\.version>([^<]+)<\/elasticsearch\.version>/.exec(pomText);
    if (!m) fail(`no <elasticsearch.version> in ${pom}`);
    this.version = m[1].trim();
    return { pom, pomText };
  },

  // Unpacks Elastic's integ-test-zip distribution (resolved by Maven into ~/.m2) once.
  distribution() {
    const { pom, pomText } = this.readVersion();
    const distRoot = path.join(ES_DIR, 'dist');
    this.home = path.join(distRoot, `elasticsearch-${this.version}`);
    const stamp = path.join(distRoot, `.complete-${sha256(pomText).slice(0, 16)}`);
    if (exists(stamp) && exists(path.join(this.home, 'lib', `elasticsearch-${this.version}.jar`))) return this.home;
    log(
      `elasticsearch: fetching and unpacking Elasticsearch ${this.version} with Maven ` +
        `(first run downloads ~100 MB into ${M2_REPO || '~/.m2/repository'})...`,
    );
    fs.rmSync(distRoot, { recursive: true, force: true });
    mkdirp(distRoot);
    const work = path.join(SERVICES_DIR, '.maven', 'elasticsearch');
    fs.rmSync(work, { recursive: true, force: true });
    mvn(
      ['-f', pom, 'dependency:unpack-dependencies', `-DoutputDirectory=${distRoot}`, `-Dservices.work=${work}`],
      'Elasticsearch',
    );
    if (!exists(path.join(this.home, 'bin', 'elasticsearch'))) fail(`unpacked distribution not found at ${this.home}`);
    fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
    return this.home;
  },

  writeConfig() {
    for (const d of [this.confDir, this.dataDir, this.logsDir, this.tmpDir]) mkdirp(d);
    const distConf = path.join(this.home, 'config');
    // Start from the distribution's config files (security realm files, log4j2), then ours.
    for (const f of fs.readdirSync(distConf)) {
      const src = path.join(distConf, f);
      const dst = path.join(this.confDir, f);
      if (fs.statSync(src).isDirectory()) mkdirp(dst);
      else if (!['elasticsearch.yml', 'jvm.options'].includes(f) && !exists(dst)) fs.copyFileSync(src, dst);
    }
    writeIfChanged(
      path.join(this.confDir, 'elasticsearch.yml'),
      [
        '# Generated by services/services.mjs on every start; edits are overwritten.',
        'cluster.name: services',
        'node.name: node-1',
        `path.data: ${JSON.stringify(this.dataDir)}`,
        `path.logs: ${JSON.stringify(this.logsDir)}`,
        `network.host: ${HOST}`,
        `http.port: ${ES_PORT}`,
        `transport.port: ${ES_TRANSPORT_PORT}`,
        'discovery.type: single-node',
        '# plain http, no auth',
        'xpack.security.enabled: false',
        '# a full-ish disk must not make indices read-only in tests',
        'cluster.routing.allocation.disk.threshold_enabled: false',
        '# let tests delete indices by wildcard',
        'action.destructive_requires_name: false',
        '',
      ].join('\n'),
    );
    // The distribution's jvm.options, with GC log / crash files moved into our logs folder
    // and heap dumps off (a 1 GB dump per OOM is not wanted in tests).
    const jvm = fs
      .readFileSync(path.join(distConf, 'jvm.options'), 'utf8')
      .split('\n')
      .filter((l) => !/^-XX:\+HeapDumpOnOutOfMemoryError|^-XX:HeapDumpPath/.test(l.trim()))
      .map((l) => {
        const t = l.trim();
        if (t.startsWith('-XX:ErrorFile=')) return `-XX:ErrorFile=${this.logsDir}/hs_err_pid%p.log`;
        if (/^(\d+-?:)?-Xlog:gc/.test(t)) {
          return `-Xlog:gc*,gc+age=trace,safepoint:file=${this.logsDir}/gc.log:utctime,level,pid,tags:filecount=2,filesize=16m`;
        }
        if (/^-XX:ReplayDataFile=/.test(t)) return `-XX:ReplayDataFile=${this.logsDir}/replay_pid%p.log`;
        return l;
      })
      .join('\n');
    writeIfChanged(path.join(this.confDir, 'jvm.options'), `# Generated by services/services.mjs\n${jvm}`);
  },

  // Elasticsearch refuses to start as root (hard check in its bootstrap, no override).
  // As root we run it as an unprivileged uid: preferably in a user namespace that maps that
  // uid to root outside (files stay root-owned, nothing to chown); else with setpriv as
  // nobody (65534), after handing the ES data/config/logs folders to that uid.
  privilegeWrapper() {
    if (typeof process.getuid !== 'function' || process.getuid() !== 0) return { argv: [], how: null };
    const mode = env.ES_ROOT_MODE || 'auto';
    if (mode !== 'auto' && mode !== 'userns' && mode !== 'setpriv')
      fail(`ES_ROOT_MODE must be auto, userns or setpriv`);
    const userns = mode === 'setpriv' ? null : usernsPrefix();
    if (userns) {
      // Undo a previous setpriv run's chown, so root-owned (= uid 1000 inside) files are writable.
      for (const d of [ES_DIR, this.confDir, this.dataDir, this.logsDir, this.tmpDir]) chownTree(d, 0, 0, d !== ES_DIR);
      return { argv: userns, how: 'a user namespace (uid 1000 inside = root outside)' };
    }
    if (mode === 'userns') fail('ES_ROOT_MODE=userns but "unshare --user" does not work here');
    if (!onPath('setpriv')) fail('running as root: Elasticsearch refuses root and neither unshare nor setpriv works');
    const uid = 65534;
    const argv = ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--'];
    const probe = spawnSync(argv[0], [...argv.slice(1), 'test', '-r', path.join(this.home, 'bin', 'elasticsearch')], {
      stdio: 'ignore',
    });
    if (probe.status !== 0) {
      fail(`running as root: uid ${uid} cannot read ${this.home}; put SERVICES_DIR where every user can read it`);
    }
    for (const d of [ES_DIR, this.confDir, this.dataDir, this.logsDir, this.tmpDir])
      chownTree(d, uid, uid, d !== ES_DIR);
    return { argv, how: `setpriv as uid ${uid} (nobody)` };
  },

  // Compiles root-endpoint/ServicesRootPlugin.java (GET / and HEAD /, missing from this
  // distribution) against the distribution's jars and installs it as a plugin. Cached by
  // source hash + ES version. Without a javac it is skipped with a warning.
  installRootPlugin() {
    const src = path.join(HERE, 'elasticsearch', 'root-endpoint', 'ServicesRootPlugin.java');
    const pluginDir = path.join(this.home, 'plugins', 'services-root');
    const key = `${sha256(fs.readFileSync(src))} ${this.version}`;
    const stamp = path.join(pluginDir, '.source-key');
    if (exists(stamp) && fs.readFileSync(stamp, 'utf8').trim() === key) return;
    fs.rmSync(pluginDir, { recursive: true, force: true });
    const javac = path.join(javaHome(), 'bin', 'javac');
    const jarTool = path.join(javaHome(), 'bin', 'jar');
    if (!exists(javac) || !exists(jarTool)) {
      log(`elasticsearch: WARNING no javac/jar in ${javaHome()} (a JRE?): GET / and HEAD / will be missing`);
      return;
    }
    log('elasticsearch: compiling the root-endpoint plugin (GET / and HEAD /)');
    const build = path.join(SERVICES_DIR, '.build', 'es-root-plugin');
    fs.rmSync(build, { recursive: true, force: true });
    mkdirp(path.join(build, 'classes'));
    const staging = path.join(build, 'services-root');
    mkdirp(staging);
    const libs = `${path.join(this.home, 'lib')}${path.sep}*`;
    let r = spawnSync(javac, ['--release', '17', '-nowarn', '-cp', libs, '-d', path.join(build, 'classes'), src], {
      encoding: 'utf8',
    });
    if (r.status === 0) {
      r = spawnSync(
        jarTool,
        ['--create', '--file', path.join(staging, 'services-root.jar'), '-C', path.join(build, 'classes'), '.'],
        {
          encoding: 'utf8',
        },
      );
    }
    if (r.status !== 0) {
      log(
        `elasticsearch: WARNING root-endpoint plugin not built, GET / and HEAD / will be missing:\n${r.stdout}${r.stderr}`,
      );
      return;
    }
    fs.writeFileSync(
      path.join(staging, 'plugin-descriptor.properties'),
      [
        'description=GET / and HEAD / for the services.mjs test node',
        'version=1.0.0',
        'name=services-root',
        'classname=services.esroot.ServicesRootPlugin',
        'java.version=17',
        `elasticsearch.version=${this.version}`,
        '',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(staging, '.source-key'), `${key}\n`);
    mkdirp(path.dirname(pluginDir));
    fs.renameSync(staging, pluginDir);
    fs.rmSync(build, { recursive: true, force: true });
  },

  async prepare() {
    javaHome();
    this.distribution();
    this.installRootPlugin();
    this.writeConfig();
    return null;
  },

  launch() {
    const wrap = this.privilegeWrapper();
    if (wrap.how) log(`elasticsearch: running as root, so starting it via ${wrap.how}`);
    const startupLog = path.join(this.logsDir, 'startup.log');
    const out = fs.openSync(startupLog, 'a');
    fs.writeSync(out, `\n===== ${new Date().toISOString()} start =====\n`);
    fs.rmSync(this.pidFile, { force: true });
    const childEnv = { ...env };
    for (const k of ['JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JAVA_OPTS', 'JAVA_HOME', 'ES_HOME']) delete childEnv[k];
    Object.assign(childEnv, {
      ES_JAVA_HOME: env.ES_JAVA_HOME || javaHome(),
      ES_PATH_CONF: this.confDir,
      ES_JAVA_OPTS: ES_HEAP_OPTS,
      ES_TMPDIR: this.tmpDir,
    });
    const argv = [...wrap.argv, 'bash', path.join(this.home, 'bin', 'elasticsearch'), '-d', '-p', this.pidFile];
    const child = spawn(argv[0], argv.slice(1), {
      cwd: this.home,
      detached: true,
      stdio: ['ignore', out, out],
      env: childEnv,
    });
    fs.closeSync(out);
    fs.writeFileSync(this.launcherPidFile, `${child.pid}\n`);
    child.unref();
    // The launcher (-d) exits once the server has started and detached; exit != 0 = failure.
    const state = { exited: false, code: null, launcher: true };
    child.once('exit', (code, sig) => Object.assign(state, { exited: true, code: code ?? sig }));
    child.once('error', (e) => Object.assign(state, { exited: true, code: e.message }));
    return state;
  },

  async ready() {
    try {
      const res = await httpGet(`/_cluster/health?wait_for_status=yellow&timeout=2s`, 5000);
      if (res.status !== 200) return null;
      const body = JSON.parse(res.body);
      return body.status === 'green' || body.status === 'yellow' ? body : null;
    } catch {
      return null;
    }
  },

  describeReady(h) {
    if (!this.version) this.readVersion();
    return `${this.endpoint} (Elasticsearch ${this.version}, cluster "${h.cluster_name}" ${h.status})`;
  },

  logHint() {
    return `${path.join(this.logsDir, 'startup.log')}:\n${tail(path.join(this.logsDir, 'startup.log'), 20)}\n${path.join(
      this.logsDir,
      'services.log',
    )}:\n${tail(path.join(this.logsDir, 'services.log'))}`;
  },

  launcherGroup() {
    return readPid(this.launcherPidFile);
  },

  // Running, or still starting up (launcher's process group alive, server pid not written yet).
  active() {
    return this.running() || groupIsOurs(this.launcherGroup(), ES_DIR);
  },

  state() {
    if (this.running()) return `running, pid ${this.pid()}`;
    if (groupIsOurs(this.launcherGroup(), ES_DIR)) return `starting (launcher process group ${this.launcherGroup()})`;
    return null;
  },

  async stop() {
    const pid = this.pid();
    let did = pid ? await terminate(this.name, pid, this.markers) : false;
    const pgid = this.launcherGroup();
    if (pgid && (await terminateGroup(this.name, pgid, ES_DIR))) did = true;
    fs.rmSync(this.pidFile, { force: true });
    fs.rmSync(this.launcherPidFile, { force: true });
    return { did, stale: !did && (pid || pgid) };
  },
};

// The command prefix that runs a program as uid 1000 in a user namespace mapped to root outside, or null when
// "unshare --user" is missing or not allowed here.
function usernsPrefix() {
  if (!onPath('unshare')) return null;
  const userns = ['unshare', '--user', '--map-user=1000', '--map-group=1000', '--'];
  const probe = spawnSync(userns[0], [...userns.slice(1), 'true'], { stdio: 'ignore' });
  return probe.status === 0 ? userns : null;
}

function chownTree(p, uid, gid, recursive) {
  try {
    fs.lchownSync(p, uid, gid);
  } catch {
    return;
  }
  if (!recursive) return;
  let st;
  try {
    st = fs.lstatSync(p);
  } catch {
    return;
  }
  if (st.isDirectory()) for (const e of fs.readdirSync(p)) chownTree(path.join(p, e), uid, gid, true);
}

function httpGet(urlPath, timeoutMs) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: HOST, port: ES_PORT, path: urlPath, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

// ---------------------------------------------------------------------------- commands

const ALL = { kafka, elasticsearch: es };

function pick(arg) {
  if (!arg) return [kafka, es];
  const alias = { es: 'elasticsearch', elastic: 'elasticsearch' }[arg] || arg;
  const svc = ALL[alias];
  if (!svc) fail(`unknown service "${arg}" (kafka | elasticsearch)`);
  return [svc];
}

async function startOne(svc) {
  if (svc.active()) {
    const r = await svc.ready();
    if (r) {
      log(`${svc.name}: already running (pid ${svc.pid()}) and ready at ${svc.describeReady(r)}`);
      return;
    }
    log(`${svc.name}: already ${svc.state()} but not ready yet; waiting`);
    await waitReady(svc, { exited: false }, Date.now());
    return;
  }
  const stale = await svc.stop(); // clears stale pid files
  if (stale.stale) log(`${svc.name}: removed stale pid file(s)`);
  const cp = await svc.prepare();
  const ports = svc === kafka ? [KAFKA_PORT, KAFKA_CONTROLLER_PORT] : [ES_PORT];
  for (const p of ports) {
    if (await portOpen(p)) fail(`${svc.name}: port ${HOST}:${p} is already in use by another process`);
  }
  log(`${svc.name}: starting (logs in ${svc.logsDir})`);
  const started = Date.now();
  const state = svc.launch(cp);
  await waitReady(svc, state, started);
}

async function waitReady(svc, state, started) {
  const deadline = started + READY_TIMEOUT_S * 1000;
  let lastNote = Date.now();
  for (;;) {
    const r = await svc.ready();
    if (r) {
      log(
        `${svc.name}: ready at ${svc.describeReady(r)}, pid ${svc.pid()}, after ${((Date.now() - started) / 1000).toFixed(1)}s`,
      );
      return;
    }
    const launcherFailed = state.exited && state.code !== 0;
    if (launcherFailed || !svc.active()) {
      const why = launcherFailed ? `it exited (${state.code})` : 'the process died';
      await svc.stop();
      fail(`${svc.name}: ${why} before becoming ready\n${svc.logHint()}`);
    }
    if (Date.now() > deadline) {
      const hint = svc.logHint();
      await svc.stop();
      fail(`${svc.name}: not ready after ${READY_TIMEOUT_S}s (SERVICES_READY_TIMEOUT_S), so it was stopped\n${hint}`);
    }
    if (Date.now() - lastNote >= 10_000) {
      lastNote = Date.now();
      log(`${svc.name}: waiting for readiness (${Math.round((Date.now() - started) / 1000)}s)...`);
    }
    await sleep(500);
  }
}

async function stopOne(svc) {
  const r = await svc.stop();
  if (r.did) log(`${svc.name}: stopped`);
  else if (r.stale) log(`${svc.name}: not running (stale pid file removed)`);
  else log(`${svc.name}: not running`);
}

async function statusOne(svc) {
  const state = svc.state();
  if (state) {
    const r = await svc.ready();
    if (r) {
      log(`${svc.name}: ${state}, ready at ${svc.describeReady(r)}`);
      return true;
    }
    log(`${svc.name}: ${state}, NOT responding at ${svc.endpoint}`);
    return false;
  }
  const other = (await portOpen(svc.port)) ? ` (but port ${svc.port} is in use by another process)` : '';
  log(`${svc.name}: stopped${other}`);
  return false;
}

// Serialise concurrent start/stop invocations (e.g. parallel test workers).
async function withLock(fn) {
  mkdirp(SERVICES_DIR);
  const lock = path.join(SERVICES_DIR, '.lock');
  const deadline = Date.now() + (READY_TIMEOUT_S + STOP_TIMEOUT_S + 600) * 1000;
  let noted = false;
  for (;;) {
    try {
      fs.writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const holder = readPid(lock);
      if (!holder || !alive(holder)) {
        fs.rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) fail(`lock ${lock} held by pid ${holder} for too long`);
      if (!noted) log(`waiting for another services.mjs (pid ${holder}) to finish...`);
      noted = true;
      await sleep(300);
    }
  }
  try {
    return await fn();
  } finally {
    if (readPid(lock) === process.pid) fs.rmSync(lock, { force: true });
  }
}

// What a test needs to run a private broker or node of its own next to the shared ones (see
// apps/server/test/support/private-servers): the JVM, Kafka's classpath, the unpacked Elasticsearch and, as root,
// the prefix Elasticsearch must run under. Prepares them like `start` would (Maven only on the first run) but starts
// nothing; the JSON is the last line of stdout.
function runtime() {
  const kafkaClasspath = kafka.classpath();
  es.distribution();
  es.installRootPlugin();
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const elasticsearchPrefix = root ? usernsPrefix() : [];
  if (!elasticsearchPrefix)
    fail('running as root: a private Elasticsearch needs "unshare --user", which does not work here');
  return { javaHome: javaHome(), kafkaClasspath, elasticsearchHome: es.home, elasticsearchPrefix };
}

function kafkaRun(args) {
  if (!args.length) fail('usage: services.mjs kafka-run <main class> [args...]');
  const cp = kafka.classpath();
  kafka.writeConfig();
  const r = spawnSync(
    javaBin(),
    [
      '-Xmx256m',
      `-Dlog4j2.configurationFile=${path.join(path.dirname(kafka.configFile), 'tools-log4j2.properties')}`,
      '-cp',
      cp,
      ...args,
    ],
    { stdio: 'inherit' },
  );
  return r.status ?? 1;
}

const USAGE = `usage: node services/services.mjs <start|stop|status> [kafka|elasticsearch]
       node services/services.mjs kafka-run <main class> [args...]
       node services/services.mjs runtime   (JSON: JVM, Kafka classpath, Elasticsearch home; starts nothing)`;

async function main() {
  const [cmd, ...rest] = process.argv.slice(2);
  switch (cmd) {
    case 'start': {
      const svcs = pick(rest[0]);
      await withLock(async () => {
        log(`data folder ${SERVICES_DIR}`);
        // Maven resolution is sequential (one Maven at a time), startups run in parallel.
        const results = await Promise.allSettled(svcs.map((s) => startOne(s)));
        const failed = results.filter((r) => r.status === 'rejected');
        if (failed.length)
          throw failed.length === 1
            ? failed[0].reason
            : new ServiceError(failed.map((f) => f.reason.message).join('\n\n'));
      });
      return 0;
    }
    case 'stop':
      await withLock(async () => {
        await Promise.all(pick(rest[0]).map((s) => stopOne(s)));
      });
      return 0;
    case 'status': {
      const ok = [];
      for (const s of pick(rest[0])) ok.push(await statusOne(s));
      return ok.every(Boolean) ? 0 : 3;
    }
    case 'kafka-run':
      return kafkaRun(rest);
    case 'runtime':
      console.log(JSON.stringify(await withLock(async () => runtime())));
      return 0;
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      console.log(USAGE);
      return cmd ? 0 : 2;
    default:
      console.error(USAGE);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof ServiceError) process.stderr.write(`[services] ERROR: ${err.message}\n`);
    else process.stderr.write(`[services] ERROR: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  },
);
