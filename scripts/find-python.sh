#!/usr/bin/env bash
# Print the path of a Python interpreter >= 3.12, or exit 1 with one line saying what is missing.
# Order: python3.13 and python3.12 on PATH, then versions under `pyenv root`, then python3.
set -u
is_new_enough() {
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}
for name in python3.13 python3.12; do
  # pyenv shims exist on PATH even for versions that are not selected; running them tells.
  if command -v "$name" >/dev/null 2>&1 && is_new_enough "$name"; then
    command -v "$name"; exit 0
  fi
done
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for candidate in $(ls -d "$root"/versions/3.1[3-9]* "$root"/versions/3.12* 2>/dev/null | sort -rV); do
    if [ -x "$candidate/bin/python3" ] && is_new_enough "$candidate/bin/python3"; then
      echo "$candidate/bin/python3"; exit 0
    fi
  done
fi
if command -v python3 >/dev/null 2>&1 && is_new_enough python3; then
  command -v python3; exit 0
fi
echo "error: Python 3.12 or newer is required (Django 6.1); install python3.12+ or a pyenv version" >&2
exit 1
