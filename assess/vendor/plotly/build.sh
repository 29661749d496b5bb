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
# Not one script that initialises all of plotly.js at once (a long task on a phone) but a list
# of steps that static/js/charts.js runs one per task: first libraries that need nothing of
# plotly.js, then core.js's own requires in core.js's order, and plot_api.js's before it (none of
# them requires back into a module still initialising there, so every module initialises as
# it does in one go); the last step gives Plotly.
cat > lib/index-assess.js <<'JS'
'use strict';
function needs() {
    var names = arguments;
    return function() { for(var i = 0; i < names.length; i++) names[i](); };
}
module.exports = [
    function() { require('@plotly/d3'); },
    needs(
        function() { require('culori'); }, function() { require('polybooljs'); },
        function() { require('gl-mat4'); }, function() { require('d3-time-format'); },
        function() { require('d3-time'); }, function() { require('d3-format'); },
        function() { require('events'); }
    ),
    function() { require('../src/version'); require('native-promise-only'); },
    function() { require('../build/plotcss'); },
    function() { require('../src/registry'); },
    function() { require('fast-isnumeric'); require('has-hover'); require('../src/lib'); },
    function() { require('../src/lib/events'); require('../src/lib/queue'); },
    function() { require('../src/plot_api/plot_schema'); },
    function() { require('../src/plots/plots'); },
    function() { require('../src/plots/cartesian/axes'); },
    function() {
        require('../src/plots/cartesian/range_defaults');
        require('../src/plots/cartesian/layout_attributes');
    },
    function() { require('../src/components/drawing'); require('../src/components/color'); },
    function() { require('../src/plots/cartesian/graph_interact'); },
    function() {
        require('../src/constants/xmlns_namespaces');
        require('../src/components/selections');
        require('../src/plot_api/plot_config');
        require('../src/plot_api/manage_arrays');
        require('../src/plot_api/helpers');
    },
    function() { require('../src/plot_api/subroutines'); },
    function() { require('../src/plot_api/edit_types'); require('../src/plots/cartesian/constants'); },
    function() { require('../src/plot_api/plot_api'); },
    function() { require('../src/plot_api'); },
    function() { require('../src/traces/scatter'); },
    function() {
        require('../src/components/annotations');
        require('../src/components/annotations3d');
        require('../src/components/selections');
        require('../src/components/shapes');
    },
    function() {
        require('../src/components/images');
        require('../src/components/updatemenus');
        require('../src/components/sliders');
        require('../src/components/rangeslider');
        require('../src/components/rangeselector');
    },
    function() {
        require('../src/components/grid');
        require('../src/components/errorbars');
        require('../src/components/colorscale');
        require('../src/components/colorbar');
    },
    function() { require('../src/components/legend'); require('../src/components/fx'); },
    function() { require('../src/components/modebar'); },
    function() { require('./core'); },
    function() { require('./bar'); },
    function() { require('./box'); },
    function() {
        var Plotly = require('./core');
        Plotly.register([require('./bar'), require('./box')]);
        return Plotly;
    }
];
JS
# As plotly's own partial bundles (esbuild-config.js), minified; the maplibre stylesheet that
# registry.js requires only for map traces is left out.
"$WORK/tools/node_modules/.bin/esbuild" lib/index-assess.js --bundle --minify --format=iife \
  --global-name=PlotlySteps --target=es2016 --define:global=window --define:define.amd=false \
  --loader:.css=empty --legal-comments=none --log-level=warning \
  --banner:js="/**
* plotly.js (assess: scatter, bar, box - minified) v$VERSION, initialised in steps:
* window.PlotlySteps, run in order, the last returns Plotly
* Copyright 2012-2026, Plotly, Inc.
* All rights reserved.
* Licensed under the MIT license
*/" \
  --outfile="$HERE/plotly-assess.min.js"
cp LICENSE "$HERE/LICENSE"
echo "wrote $HERE/plotly-assess.min.js ($(wc -c < "$HERE/plotly-assess.min.js") bytes)"
