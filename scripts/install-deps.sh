#!/usr/bin/env bash
# Installs Debian packages when any is missing: by default those wordbench needs to build and run, or the ones
# named as arguments (the benchmarks name theirs). apt-get runs as root, or through sudo; with neither, it says what
# to install and stops.
set -euo pipefail

packages=(pkg-config libcurl4-openssl-dev libarchive-dev nettle-dev wordnet-base)
if [ $# -gt 0 ]; then packages=("$@"); fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "error: this is not a Debian-based system; install these packages (or your system's equivalents):" \
    "${packages[*]}" >&2
  exit 1
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "error: wordbench needs the Debian packages ${missing[*]}, and installing them needs root." >&2
  echo "Run as root, or install sudo, or ask an administrator to run:" >&2
  echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "Installing ${missing[*]} ..." >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
