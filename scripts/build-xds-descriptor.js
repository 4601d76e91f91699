#!/usr/bin/env node
// Writes protos/xds-descriptor.json: the lean xDS protos parsed by proto-loader (the exact loader
// sidecarless uses as a fallback) and saved as protobufjs JSON, so start-up loads a JSON file with
// protobufjs/light instead of parsing ~60 .proto files. Runs after `tsc` (npm `postbuild`) because
// the list of entry files and the loader live in dist/sources/xds/protos.js: one source of truth.
// test/sources/xds/xds-descriptor.test.ts proves the file equals the .proto files.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { parseXdsProtos, protosDir, XDS_DESCRIPTOR_FILE } = require('../dist/sources/xds/protos.js');

const out = path.join(protosDir(), XDS_DESCRIPTOR_FILE);
const text = `${JSON.stringify(parseXdsProtos().toJSON())}\n`;
const previous = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : undefined;
if (previous !== text) {
  fs.writeFileSync(out, text);
  console.log(`wrote ${path.relative(process.cwd(), out)} (${text.length} bytes)`);
}
