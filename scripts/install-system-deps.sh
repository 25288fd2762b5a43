#!/usr/bin/env bash
# Installs what the tests need from Debian's packages: chromium and a CJK font (browser tests), and
# gdal-bin (ogrinfo/ogr2ogr check the GIS exports against Debian's GDAL). Does nothing when all are
# present. Needs root (or sudo) the first time.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# (no `fc-list | grep -q` here: under pipefail grep's early exit makes fc-list fail with SIGPIPE)
[ "$(dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null || true)" = "install ok installed" ] || need+=(fonts-noto-cjk)
command -v ogrinfo >/dev/null 2>&1 && command -v ogr2ogr >/dev/null 2>&1 || need+=(gdal-bin)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing Debian packages: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
