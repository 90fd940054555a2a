#!/bin/sh
# Install motcua-queue's systemd units (run as root, from the project folder, after
# `make install` has built .venv). See docs/deploy.md.
#
#   sudo systemd/install.sh [--prefix /opt/motcua] [--port 8000] [--dest /etc/systemd]
#
# --dest is for trying it out: the units are written under DEST/system and DEST/user, and
# nothing else on the machine is touched (no user, no systemctl).
set -eu
prefix=$(cd "$(dirname "$0")/.." && pwd)
port=8000
dest=/etc/systemd
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix=$2; shift 2 ;;
        --port) port=$2; shift 2 ;;
        --dest) dest=$2; shift 2 ;;
        *) echo "Tham số không hợp lệ: $1" >&2; exit 2 ;;
    esac
done
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dest/system" "$dest/user"
render() {
    sed -e "s|@PREFIX@|$prefix|g" -e "s|@PORT@|$port|g" "$here/$1" > "$2/$1"
}
for unit in motcua.service motcua-backup.service motcua-backup.timer; do
    render "$unit" "$dest/system"
done
for unit in motcua-kiosk.service motcua-display.service; do
    render "$unit" "$dest/user"
done
echo "Đã cài các unit vào $dest/system và $dest/user"
if [ "$dest" != /etc/systemd ]; then
    exit 0
fi
if ! id motcua >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/motcua --shell /usr/sbin/nologin motcua
    echo "Đã tạo người dùng hệ thống motcua"
fi
mkdir -p /etc/motcua
[ -f /etc/motcua/motcua.env ] || printf '# MOTCUA_* settings, e.g.\n# MOTCUA_PRINTER=tcp://192.168.1.50:9100\n# MOTCUA_PUBLIC_URL=http://192.168.1.10:%s\n' "$port" > /etc/motcua/motcua.env
systemctl daemon-reload
systemctl enable --now motcua.service motcua-backup.timer
echo "motcua-queue đang chạy: http://$(hostname -I 2>/dev/null | cut -d' ' -f1):$port"
