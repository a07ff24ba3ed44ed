#!/bin/sh
# Kinetic's backups: the database in PostgreSQL's custom format (pg_dump -Fc)
# and, when MEDIA_DIR is set, the uploaded files (exercise pictures) beside it
# as kinetic-<time>.media.tar.gz. Runs in docker-compose.yml's `backup`
# service (postgres:16 image) and in the test suite against a local PostgreSQL.
#   backup.sh once           one dump now into BACKUP_DIR, then keep the newest BACKUP_KEEP
#   backup.sh daily          `once` now and every BACKUP_INTERVAL_SECONDS (the service)
#   backup.sh list           the dumps, newest first
#   backup.sh restore FILE   replace the database's contents with FILE (a path, or a
#                            name in BACKUP_DIR), and MEDIA_DIR's with the files saved
#                            with it; stop web, worker and beat first
#   backup.sh check          fail unless the newest dump is younger than 1.5 intervals
# DATABASE_URL names the database (postgres://user:password@host:5432/name).
set -eu

dir=${BACKUP_DIR:-/backups}
keep=${BACKUP_KEEP:-14}
interval=${BACKUP_INTERVAL_SECONDS:-86400}
pattern='^kinetic-[0-9]{8}T[0-9]{6}Z\.dump$'

need_database() {
  [ -n "${DATABASE_URL:-}" ] || { echo "backup: DATABASE_URL must be set (postgres://user:password@host:5432/name)" >&2; exit 2; }
}

media_of() {  # the uploaded files saved with a dump
  echo "${1%.dump}.media.tar.gz"
}

dumps() {  # names, newest first
  ls -1 "$dir" 2>/dev/null | grep -E "$pattern" | sort -r || true
}

once() {
  need_database
  mkdir -p "$dir"
  rm -f "$dir"/*.partial
  file="$dir/kinetic-$(date -u +%Y%m%dT%H%M%SZ).dump"
  pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$file.partial"
  if [ -n "${MEDIA_DIR:-}" ] && [ ! -d "$MEDIA_DIR" ]; then
    echo "backup: MEDIA_DIR $MEDIA_DIR is not a directory; the uploaded files are not in this backup" >&2
  elif [ -n "${MEDIA_DIR:-}" ]; then
    media="$(media_of "$file")"
    # A picture uploaded while tar reads is only a warning (exit 1); anything
    # worse leaves this dump without its files, never the night without a dump.
    status=0
    tar -czf "$media.partial" -C "$MEDIA_DIR" . || status=$?
    if [ "$status" -le 1 ]; then
      mv "$media.partial" "$media"
      echo "backup: wrote $media ($(wc -c <"$media") bytes)"
    else
      rm -f "$media.partial"
      echo "backup: could not save the uploaded files (tar exit $status); this dump has none" >&2
    fi
  fi
  mv "$file.partial" "$file"
  echo "backup: wrote $file ($(wc -c <"$file") bytes)"
  dumps | tail -n +"$((keep + 1))" | while read -r old; do
    rm -f "$dir/$old" "$(media_of "$dir/$old")"
    echo "backup: removed $old (keeping the newest $keep)"
  done
}

restore() {
  need_database
  file=${1:?usage: backup.sh restore FILE}
  [ -f "$file" ] || file="$dir/$1"
  [ -f "$file" ] || { echo "restore: no backup $1 (see: backup.sh list)" >&2; exit 1; }
  # Start from an empty schema, so tables a later migration added do not
  # survive next to an older backup's django_migrations.
  psql --quiet --no-psqlrc -v ON_ERROR_STOP=1 --dbname="$DATABASE_URL" \
    -c "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;" >/dev/null
  pg_restore --no-owner --no-privileges --single-transaction --exit-on-error --dbname="$DATABASE_URL" "$file"
  echo "restore: restored $file"
  media="$(media_of "$file")"
  if [ -n "${MEDIA_DIR:-}" ] && [ -f "$media" ]; then
    # The files as they were with this dump: none added since survives.
    find "$MEDIA_DIR" -mindepth 1 -delete
    tar -xzf "$media" -C "$MEDIA_DIR"
    echo "restore: restored the uploaded files from $media"
  fi
}

check() {
  newest=$(dumps | head -n 1)
  [ -n "$newest" ] || { echo "backup: no backup in $dir yet" >&2; exit 1; }
  age=$(( $(date +%s) - $(stat -c %Y "$dir/$newest") ))
  [ "$age" -le $((interval * 3 / 2)) ] || { echo "backup: the newest backup, $newest, is $age s old" >&2; exit 1; }
  echo "backup: newest $newest, $age s old"
}

case "${1:-}" in
  once) once ;;
  daily)
    while true; do
      # In a child shell, so that `set -e` still stops a failed dump there.
      sh "$0" once || echo "backup: FAILED; trying again in $interval s" >&2
      sleep "$interval"
    done ;;
  list) dumps ;;
  restore) shift; restore "$@" ;;
  check) check ;;
  *) echo "usage: backup.sh once|daily|list|restore FILE|check" >&2; exit 2 ;;
esac
