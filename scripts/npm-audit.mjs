// Dependency audit step of `npm test`: `npm audit --audit-level=high` over all dependencies (dev included, since
// they run in CI and on developers' machines). High or critical advisories fail it (exit 1); an audit endpoint that
// cannot be reached is exit 2, "not checked", which `npm test` reports as such rather than as a pass.
import { spawnSync } from 'node:child_process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['audit', '--audit-level=high', '--json'], { encoding: 'utf8' });

let report;
try {
  report = JSON.parse(result.stdout);
} catch {
  report = undefined;
}

const counts = report?.metadata?.vulnerabilities;
if (counts === undefined || report.error !== undefined) {
  const lastError = result.stderr
    .split('\n')
    .filter((line) => line.startsWith('npm error') || line.startsWith('npm warn audit'))
    .at(0);
  const reason = report?.message || lastError || result.error?.message || `npm audit exited with ${result.status}`;
  console.error(
    `✖ npm audit could not get advisories from the registry: ${reason}\n` +
      '  The dependencies were NOT audited: give this machine access to the npm registry ' +
      '(its /-/npm/v1/security/advisories/bulk endpoint, or a proxy that forwards it) and run again.',
  );
  process.exit(2);
}

console.log(
  `npm audit: ${counts.critical} critical, ${counts.high} high, ${counts.moderate} moderate, ${counts.low} low ` +
    `in ${report.metadata.dependencies?.total ?? '?'} dependencies`,
);
if (counts.critical + counts.high > 0) {
  // The readable report, with the fix npm suggests for each finding.
  spawnSync(npm, ['audit', '--audit-level=high'], { stdio: 'inherit' });
  process.exit(1);
}
