#!/bin/sh
# embed.sh NAME FILE: print a C file defining `const char NAME[]` holding
# FILE's bytes and a NUL, so data files (schema.sql, themes) are compiled
# into the binary.  A byte array, because ISO C caps string literals at
# 4095 characters.
name=$1
file=$2
printf '/* Generated from %s by mk/embed.sh; do not edit. */\n' "$(basename "$file")"
printf 'extern const char %s[];\nconst char %s[] = {\n' "$name" "$name"
od -An -v -tu1 "$file" | awk '{ line = ""; for (i = 1; i <= NF; i++) line = line $i ","; print "\t" line }'
printf '\t0\n};\n'
