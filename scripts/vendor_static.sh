#!/bin/sh
# Vendor the browser libraries of static/vendor/ from npm, so that `make run` needs no npm
# and no page loads anything from a CDN (the CSP allows same-origin scripts only).
#
#   sh scripts/vendor_static.sh
#
# For each library: `npm pack` fetches the exact version's tarball from the registry, and
# its minified build and LICENSE are copied into static/vendor/<name>/. Commit the result.
# To upgrade, change the version here, run it again, and check the pages in tests/e2e.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENDOR="$ROOT/static/vendor"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# name  version  minified file inside the package
vendor() {
  name=$1 version=$2 file=$3
  (cd "$WORK" && npm pack --silent "$name@$version" >/dev/null 2>&1 &&
     mkdir -p "$name" && tar -xzf "$name-$version.tgz" -C "$name")
  mkdir -p "$VENDOR/$name"
  cp "$WORK/$name/package/$file" "$VENDOR/$name/"
  cp "$WORK/$name/package/LICENSE" "$VENDOR/$name/LICENSE"
  echo "$name $version" > "$VENDOR/$name/VERSION"
  echo "static/vendor/$name: $name $version ($(basename "$file"))"
}

# Cytoscape.js (MIT): draws the trust networks of My network and of the admin member page.
vendor cytoscape 3.34.4 dist/cytoscape.min.js
