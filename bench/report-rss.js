// Preloaded (`node -r`) into the benchmark's child processes: writes the process' peak resident
// set size, in MB, to the file named by BENCH_RSS_FILE when it exits.
'use strict';
const fs = require('fs');

process.on('exit', () => {
  fs.writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS / 1024));
});
