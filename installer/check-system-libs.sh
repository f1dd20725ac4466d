#!/bin/sh
# The shared libraries Qt's xcb platform plugin needs that a minimal Linux lacks. Without
# them the window does not open and Qt only says "Could not load the Qt platform plugin
# xcb". `make run` runs this first; the .deb declares the same packages as dependencies.
# Prints what to install and exits 1 when something is missing; exits 0 elsewhere.
set -u
[ "$(uname -s)" = Linux ] || exit 0
command -v ldconfig >/dev/null 2>&1 || PATH="$PATH:/sbin:/usr/sbin"
known=$(ldconfig -p 2>/dev/null) || exit 0  # cannot tell: let Qt speak for itself
missing=""
# soname, then the Debian/Ubuntu package that holds it.
for pair in \
  libxcb-icccm.so.4:libxcb-icccm4 \
  libxcb-keysyms.so.1:libxcb-keysyms1 \
  libxcb-cursor.so.0:libxcb-cursor0 \
  libxcb-image.so.0:libxcb-image0 \
  libxcb-render-util.so.0:libxcb-render-util0 \
  libxcb-shape.so.0:libxcb-shape0 \
  libxcb-xkb.so.1:libxcb-xkb1 \
  libxkbcommon-x11.so.0:libxkbcommon-x11-0 \
  libEGL.so.1:libegl1 \
  libfontconfig.so.1:libfontconfig1 \
  libdbus-1.so.3:libdbus-1-3
do
  soname=${pair%%:*}
  package=${pair#*:}
  printf '%s\n' "$known" | grep -q "$soname" || missing="$missing $package"
done
if [ -n "$missing" ]; then
  echo "The window needs system libraries that are not installed. On Debian or Ubuntu:"
  echo "  sudo apt-get install$missing"
  echo "(Fedora: the xcb-util-* and libxkbcommon-x11 packages.) The CLI works without them."
  exit 1
fi
