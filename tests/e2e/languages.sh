#!/bin/sh
# languages.sh - nothing is left in English by mistake: every text of the
# web pages and every error message officers read has its Khmer and its
# Mongolian translation (make po-check extracts the sources again and
# fails on a missing or fuzzy one), and the command line tells what is
# wrong in Khmer or Mongolian when SWS_LANG asks for it, in English
# otherwise.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)

t_ok "every text has its Khmer and Mongolian translation" \
  make -C "$top" -s --no-print-directory po-check

# the check itself: one missing translation fails it, one fuzzy too
mkdir "$T_DIR/po"
sed '/^msgid "household registered"$/{n;s/.*/msgstr ""/;}' "$top/po/km.po" >"$T_DIR/po/km.po"
sed '/^msgid "the birth date of %s"$/i #, fuzzy' "$top/po/mn.po" >"$T_DIR/po/mn.po"
t_check "(the copies differ from the catalogues)" sh -c \
  "! cmp -s '$top/po/km.po' '$T_DIR/po/km.po' && ! cmp -s '$top/po/mn.po' '$T_DIR/po/mn.po'"
t_status 2 "a missing Khmer translation fails the check" \
  make -C "$top" -s --no-print-directory po-check PO="$T_DIR/po/km.po"
t_grep "naming it" "untranslated" "$T_ERR"
t_status 2 "a fuzzy Mongolian translation fails it too" \
  make -C "$top" -s --no-print-directory po-check PO="$T_DIR/po/mn.po"

# the command line: English unless SWS_LANG names a language
t_init_office
t_status 1 "a household that is not there" "$SWS" household show KH12-000999-9
t_grep "is told in English" "^sws: no household KH12-000999" "$T_ERR"
t_status 1 "SWS_LANG=km" env SWS_LANG=km "$SWS" household show KH12-000999-9
t_grep "tells it in Khmer" "^sws: មិនមានគ្រួសារ KH12-000999.* នៅការិយាល័យនេះទេ" "$T_ERR"
t_status 1 "SWS_LANG=mn" env SWS_LANG=mn "$SWS" household show KH12-000999-9
t_grep "tells it in Mongolian" "^sws: Энэ албанд KH12-000999.* өрх алга" "$T_ERR"
t_status 1 "SWS_LANG=en" env SWS_LANG=en "$SWS" household show KH12-000999-9
t_grep "English when asked" "^sws: no household KH12-000999" "$T_ERR"
t_status 1 "SWS_LANG=fr" env SWS_LANG=fr "$SWS" household show KH12-000999-9
t_grep "a language sws has not is named" "SWS_LANG 'fr' is not a language" "$T_ERR"
t_grep "and the message stays English" "^sws: no household KH12-000999" "$T_ERR"
t_ok "what a command prints is the same in any language" \
  env SWS_LANG=mn "$SWS" office show
t_grep "(office show)" "^office: *KH12" "$T_OUT"
