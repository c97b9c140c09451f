#!/bin/sh
# lint.sh - checks the compiler does not make:
#   1. banned functions (unbounded or unchecked: sprintf, strcpy, atoi, ...)
#   2. values formatted into SQL (every value must be bound)
#   3. raw %s in HTML output (web pages escape through %h)
#   4. the sqlite3 handle used directly outside core/ (go through core/db.h)
#   5. a call inside jansson's json_is_* (macros that read their argument
#      twice: json_is_object(json_loadb(...)) parses, and leaks, twice)
# Exits 1 and lists each finding as FILE:LINE: what.
set -u
cd "$(dirname "$0")/.." || exit 1
status=0
files=$(git ls-files '*.c' '*.h' 2>/dev/null; ls build/gen/*.c 2>/dev/null | head -n 0)
[ -n "$files" ] || files=$(find core schema cases receipts sync pos tests bench fuzz -name '*.[ch]' 2>/dev/null)

report() { # pattern message [files]
  pat=$1; msg=$2
  # shellcheck disable=SC2086
  hits=$(grep -nE "$pat" $files 2>/dev/null | grep -v 'lint: ok')
  if [ -n "$hits" ]; then
    echo "$hits" | sed "s|\$| <- $msg|"
    status=1
  fi
}

report '(^|[^A-Za-z0-9_])(sprintf|vsprintf|strcpy|strcat|strncpy|strtok|atoi|atol|atoll|gets|tmpnam|mktemp)[[:space:]]*\(' \
  'banned function: use snprintf, sws_strlcpy, struct buf, strtok_r or sws_parse_int64'
report '"[^"]*([Ss][Ee][Ll][Ee][Cc][Tt] |INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM|WHERE )[^"]*%[-0-9.]*[sdiuqQ]' \
  'value formatted into SQL: bind it with db_bind_*'
report 'html_printf[[:space:]]*\([^;]*"[^"]*%s' \
  'raw %s in HTML: use %h (escaped) or a constant'
report 'json_is_[a-z]+[[:space:]]*\([^)]*(json_load|json_pack|json_object\(|json_array\()' \
  'call inside json_is_* (a macro reading its argument twice): assign first, then test'
files_nc=$(echo "$files" | grep -v '^core/' | grep -v '^tests/' | grep -v '^bench/' | grep -v '^fuzz/')
# shellcheck disable=SC2086
hits=$(grep -nE 'sqlite3_(exec|prepare|prepare_v2)[[:space:]]*\(' $files_nc 2>/dev/null | grep -v 'lint: ok')
if [ -n "$hits" ]; then
  echo "$hits" | sed 's|$| <- use db_prepare/db_exec from core/db.h|'
  status=1
fi
[ $status -eq 0 ] && echo "lint: clean"
exit $status
