#!/bin/sh
# Sign, pack and notarize the macOS app (installer/README.md, "macOS"). Not run here: written
# for the hosted CI's macOS runner (.github/workflows/build.yml) or a Mac with the certificate.
#
#   installer/macos/make_dmg.sh [APP]   (default: build/pyinstaller/dist/Desktop LLM.app)
#     -> dist/desktop-llm-<version>-macos-arm64.dmg   (the Metal build, Apple silicon)
#
# Environment (all optional; without them the DMG is built unsigned, and it says so):
#   MACOS_SIGN_IDENTITY   the "Developer ID Application: NAME (TEAMID)" certificate's name,
#                         in a keychain codesign can use
#   MACOS_NOTARY_PROFILE  a notarytool keychain profile (xcrun notarytool store-credentials)
#   MACOS_KEYCHAIN        the keychain holding that profile, if not the default one
set -eu

app=${1:-"build/pyinstaller/dist/Desktop LLM.app"}
test -d "$app/Contents/MacOS" || { echo "make_dmg: no app bundle $app" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
version=$(/usr/libexec/PlistBuddy -c "Print :CFBundleShortVersionString" "$app/Contents/Info.plist")
dmg="dist/desktop-llm-$version-macos-arm64.dmg"
identity=${MACOS_SIGN_IDENTITY:-}
profile=${MACOS_NOTARY_PROFILE:-}
mkdir -p dist

if [ -n "$identity" ]; then
    # Inside out, as Apple asks (not codesign --deep, which Apple advises against for signing
    # and which would give the entitlements to every nested executable): each Mach-O file
    # (Python, Qt and its plugins, the extension modules, llama.cpp's dylibs), then each
    # framework bundle, then the app, whose main executable gets the entitlements. Hardened
    # runtime (--options runtime) and a secure timestamp: notarization requires both.
    sign() { codesign --force --options runtime --timestamp --sign "$identity" "$@"; }
    find "$app/Contents" -type f | while IFS= read -r f; do
        if file -b "$f" | grep -q 'Mach-O'; then sign "$f"; fi
    done
    find "$app/Contents" -type d -name '*.framework' -prune | while IFS= read -r f; do
        sign "$f"
    done
    sign --entitlements "$here/entitlements.plist" "$app"
    codesign --verify --deep --strict --verbose=2 "$app"
else
    echo "make_dmg: MACOS_SIGN_IDENTITY is not set: the app keeps PyInstaller's ad-hoc" \
        "signature and the DMG is neither signed nor notarized; Gatekeeper refuses it on" \
        "other Macs (right-click > Open, or xattr -d com.apple.quarantine, gets past it)." >&2
fi

# The DMG: the app and a link to /Applications to drag it onto (ditto keeps the signatures,
# symbolic links and extended attributes).
stage=$(mktemp -d "${TMPDIR:-/tmp}/desktop-llm-dmg.XXXXXX")
trap 'rm -rf "$stage"' EXIT
ditto "$app" "$stage/$(basename "$app")"
ln -s /Applications "$stage/Applications"
rm -f "$dmg"
hdiutil create -volname "Desktop LLM $version" -srcfolder "$stage" -fs HFS+ -format UDZO "$dmg"

if [ -z "$identity" ]; then
    echo "make_dmg: $dmg (unsigned)"
    exit 0
fi
codesign --force --timestamp --sign "$identity" "$dmg"

if [ -z "$profile" ]; then
    echo "make_dmg: MACOS_NOTARY_PROFILE is not set: $dmg is signed, not notarized" >&2
    exit 0
fi
# notarytool exits 0 once the service has answered, whatever the answer: read the status.
set -- --keychain-profile "$profile"
if [ -n "${MACOS_KEYCHAIN:-}" ]; then set -- "$@" --keychain "$MACOS_KEYCHAIN"; fi
xcrun notarytool submit "$dmg" "$@" --wait --output-format json > "$stage/notary.json"
cat "$stage/notary.json"; echo
if ! grep -q '"status" *: *"Accepted"' "$stage/notary.json"; then
    id=$(sed -n 's/.*"id" *: *"\([^"]*\)".*/\1/p' "$stage/notary.json")
    if [ -n "$id" ]; then xcrun notarytool log "$id" "$@" || true; fi
    echo "make_dmg: notarization was not accepted" >&2
    exit 1
fi
# The ticket goes into the DMG, so Gatekeeper can check it offline.
xcrun stapler staple "$dmg"
xcrun stapler validate "$dmg"
spctl --assess --type open --context context:primary-signature --verbose=2 "$dmg"
echo "make_dmg: $dmg (signed, notarized, stapled)"
