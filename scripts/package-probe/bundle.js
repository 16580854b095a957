// Bundles index.js with Metro for one platform, as `react-native bundle` would.
const Metro = require('metro');

async function main(platform) {
  const config = await Metro.loadConfig();
  await Metro.runBuild(config, {
    entry: 'index.js',
    platform,
    dev: false,
    minify: false,
    out: `out/index.${platform}.js`,
  });
}

main(process.argv[2]).catch((err) => {
  console.error(err);
  process.exit(1);
});
