# Sourced by clone-check.sh and add-column-check.sh: copy_tree SOURCE DEST copies a checkout's
# files as a clone would have them (tracked files, and untracked ones git does not ignore; none
# that a pending deletion removed) into DEST, which must not exist yet.
copy_tree() {
  mkdir "$2"
  (
    cd "$1"
    git ls-files -z --cached --others --exclude-standard |
      while IFS= read -r -d '' file; do [[ -e $file ]] && printf '%s\0' "$file"; done |
      tar --null -T - -cf -
  ) | tar -xf - -C "$2"
}
