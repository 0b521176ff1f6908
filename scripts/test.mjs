// The one test command (`npm test`): static checks, then every test tier, failing on any failed or skipped test.
// Ends with a single "N passed, N failed" line so CI can read the outcome.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const REPORT_DIR = 'test-results';
const TIERS = ['unit', 'int', 'e2e', 'browser'];
const CHROMIUM = '/usr/bin/chromium';
const PROMETHEUS = '/usr/bin/prometheus'; // the package also brings /usr/bin/promtool

function run(label, command, args) {
  const started = Date.now();
  console.log(`\n▶ ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', shell: false });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`✖ ${label} failed after ${seconds}s (exit ${result.status ?? result.signal})`);
    return false;
  }
  console.log(`✔ ${label} (${seconds}s)`);
  return true;
}

const bin = (name) => path.join('node_modules', '.bin', name);
mkdirSync(REPORT_DIR, { recursive: true });

let aptUpdated = false;

/**
 * Tools the tests run are Debian packages (never downloaded builds): the browser tier drives Chromium, the
 * observability tests run Prometheus and promtool. Installs the package on a fresh machine when we are root.
 */
function ensureDebianPackage(binary, pkg) {
  if (existsSync(binary)) return true;
  if (process.getuid?.() !== 0) {
    console.error(`✖ ${binary} is missing: install Debian's ${pkg} package (apt-get install ${pkg})`);
    return false;
  }
  if (!aptUpdated && !run('apt-get update', 'apt-get', ['update', '-qq'])) return false;
  aptUpdated = true;
  return run(`install ${pkg}`, 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', pkg]);
}

const checks = [
  ['node version', process.execPath, ['scripts/check-node.mjs']],
  ['build', 'npm', ['run', 'build', '--silent']],
  ['typecheck', 'npm', ['run', 'typecheck', '--silent']],
  ['lint', bin('eslint'), ['.']],
  ['format', bin('prettier'), ['--check', '.', '--log-level', 'warn']],
];
for (const [label, command, args] of checks) {
  if (!run(label, command, args)) process.exit(1);
}
// High and critical advisories fail the run, reported at the end so that the test tiers still run. A registry that
// does not serve advisories (exit 2) cannot be audited against: the run says so at the end instead of failing,
// because that is the machine's network, not the code (a registry mirror without the audit endpoint, seen here).
console.log('\n▶ npm audit: scripts/npm-audit.mjs');
const audit = spawnSync(process.execPath, ['scripts/npm-audit.mjs'], { stdio: 'inherit' }).status;
if (!ensureDebianPackage(CHROMIUM, 'chromium') || !ensureDebianPackage(PROMETHEUS, 'prometheus')) process.exit(1);
// Kafka and Elasticsearch from Maven Central (services/); idempotent, downloads only on the first run.
if (!run('services (Kafka, Elasticsearch)', process.execPath, ['services/services.mjs', 'start'])) process.exit(1);

let passed = 0;
let failed = 0;
const problems = [];
for (const tier of TIERS) {
  const report = path.join(REPORT_DIR, `${tier}.json`);
  const ok = run(`${tier} tests`, bin('vitest'), [
    'run',
    '--project',
    tier,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ]);
  let summary;
  try {
    summary = JSON.parse(readFileSync(report, 'utf8'));
  } catch {
    problems.push(`${tier}: no report written`);
    failed += 1;
    continue;
  }
  passed += summary.numPassedTests;
  failed += summary.numFailedTests;
  const skipped = summary.numPendingTests + summary.numTodoTests;
  if (summary.numTotalTests === 0) problems.push(`${tier}: no tests ran`);
  if (skipped > 0) problems.push(`${tier}: ${skipped} skipped or todo tests (skipping is not allowed)`);
  if (!ok && summary.numFailedTests === 0) problems.push(`${tier}: vitest failed outside any test`);
}

if (audit === 2) console.error('⚠ npm audit: NOT CHECKED, the registry served no advisories (see above)');
else if (audit !== 0) problems.push('npm audit: high or critical advisories (see above)');
for (const problem of problems) console.error(`✖ ${problem}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || problems.length > 0 ? 1 : 0);
