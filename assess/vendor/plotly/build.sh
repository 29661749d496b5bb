#!/bin/sh
# Rebuilds plotly-assess.min.js from plotly.js's own source on npm, with only the trace types
# the charts use (scatter, which plotly's core always holds, bar and box). Needs node and npm;
# works in a temporary folder and writes only the bundle and the licence next to this script.
#
#   sh assess/vendor/plotly/build.sh 4.1.1
set -eu
VERSION=${1:?usage: build.sh PLOTLY_JS_VERSION}
ESBUILD=0.28.2
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm pack --silent "plotly.js@$VERSION" >/dev/null
tar xzf "plotly.js-$VERSION.tgz"
cd package
npm install --omit=dev --ignore-scripts --no-audit --no-fund --silent
npm install --prefix "$WORK/tools" --no-audit --no-fund --silent "esbuild@$ESBUILD"
cat > lib/index-assess.js <<'JS'
'use strict';
var Plotly = require('./core');
Plotly.register([require('./bar'), require('./box')]);
module.exports = Plotly;
JS
# As plotly's own partial bundles (esbuild-config.js), minified; the maplibre stylesheet that
# registry.js requires only for map traces is left out.
"$WORK/tools/node_modules/.bin/esbuild" lib/index-assess.js --bundle --minify --format=iife \
  --global-name=Plotly --target=es2016 --define:global=window --define:define.amd=false \
  --loader:.css=empty --legal-comments=none --log-level=warning \
  --banner:js="/**
* plotly.js (assess: scatter, bar, box - minified) v$VERSION
* Copyright 2012-2026, Plotly, Inc.
* All rights reserved.
* Licensed under the MIT license
*/" \
  --outfile="$HERE/plotly-assess.min.js"
cp LICENSE "$HERE/LICENSE"
echo "wrote $HERE/plotly-assess.min.js ($(wc -c < "$HERE/plotly-assess.min.js") bytes)"
