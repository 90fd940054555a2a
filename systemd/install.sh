#!/bin/sh
# Install motcua-queue's systemd units (run as root, from the project folder, after
# `make install` has built .venv). See docs/deploy.md.
#
#   sudo systemd/install.sh [--prefix /opt/motcua] [--port 8000] [--dest /etc/systemd]
#   sudo systemd/install.sh --hub [--prefix /opt/motcua] [--dest /etc/systemd]
#
# --hub installs the province hub instead of a center (docs/deploy.md, "A province hub").
#
# --dest is for trying it out: the units are written under DEST/system and DEST/user, and
# nothing else on the machine is touched (no user, no systemctl).
set -eu
prefix=$(cd "$(dirname "$0")/.." && pwd)
port=8000
dest=/etc/systemd
hub=no
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix=$2; shift 2 ;;
        --port) port=$2; shift 2 ;;
        --dest) dest=$2; shift 2 ;;
        --hub) hub=yes; shift ;;
        *) echo "Tham số không hợp lệ: $1" >&2; exit 2 ;;
    esac
done
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dest/system"
render() {
    sed -e "s|@PREFIX@|$prefix|g" -e "s|@PORT@|$port|g" "$here/$1" > "$2/$1"
}
if [ "$hub" = yes ]; then
    render motcua-hub.service "$dest/system"
    # motcua-hub@PORT.service: the same hub on 127.0.0.1:PORT, for several behind nginx.
    sed -e 's|--port 5100|--port %i|' -e 's|^Description=\(.*\)|Description=\1 (port %i)|' \
        -e "s|@PREFIX@|$prefix|g" "$here/motcua-hub.service" > "$dest/system/motcua-hub@.service"
    echo "Đã cài các unit của máy chủ tổng hợp vào $dest/system"
    if [ "$dest" != /etc/systemd ]; then
        exit 0
    fi
    if ! id motcua >/dev/null 2>&1; then
        useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin motcua
        echo "Đã tạo người dùng hệ thống motcua"
    fi
    mkdir -p /etc/motcua
    [ -f /etc/motcua/hub.env ] || printf '# MOTCUA_* settings of the hub\nMOTCUA_HUB_DATABASE=postgresql:///motcua_hub?host=/var/run/postgresql\nMOTCUA_TRUSTED_PROXIES=1\n' > /etc/motcua/hub.env
    chgrp motcua /etc/motcua/hub.env && chmod 640 /etc/motcua/hub.env
    # `motcua hub …` for the operator: the service's user and settings, so that a center
    # registered by hand is in the database the hub reads.
    cat > /usr/local/bin/motcua <<EOF
#!/bin/sh
set -a
. /etc/motcua/hub.env
set +a
cd / && exec runuser -u motcua -- "$prefix/.venv/bin/motcua" "\$@"
EOF
    chmod 755 /usr/local/bin/motcua
    systemctl daemon-reload
    echo "Tạo cơ sở dữ liệu PostgreSQL rồi chạy: systemctl enable --now motcua-hub.service"
    exit 0
fi
mkdir -p "$dest/user"
for unit in motcua.service motcua-backup.service motcua-backup.timer; do
    render "$unit" "$dest/system"
done
# Several processes behind nginx (docs/deploy.md, "A city center"): motcua@PORT.service is
# motcua.service on 127.0.0.1:PORT; MOTCUA_MESSAGE_QUEUE in motcua.env joins them.
sed -e 's|--host 0.0.0.0 --port @PORT@|--host 127.0.0.1 --port %i|' \
    -e 's|^Description=\(.*\)|Description=\1 (port %i)|' \
    -e "s|@PREFIX@|$prefix|g" "$here/motcua.service" > "$dest/system/motcua@.service"
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
# The state folder exists before the first start, so that the stopgap voice can be rendered
# next to the database (systemd keeps the folder's owner and mode as they are here).
install -d -o motcua -g motcua -m 0750 /var/lib/motcua
mkdir -p /etc/motcua
# `motcua` for the installer: the service's user, database and settings, so that a user added
# or a printer set by hand is the one the server sees.
cat > /usr/local/bin/motcua <<EOF
#!/bin/sh
set -a
MOTCUA_DB=/var/lib/motcua/motcua.db
MOTCUA_PRINTER=dir:/var/lib/motcua/receipts
[ -f /etc/motcua/motcua.env ] && . /etc/motcua/motcua.env
set +a
cd /var/lib/motcua && exec runuser -u motcua -- "$prefix/.venv/bin/motcua" "\$@"
EOF
chmod 755 /usr/local/bin/motcua
if command -v espeak-ng >/dev/null 2>&1; then
    /usr/local/bin/motcua voice render-espeak
fi
[ -f /etc/motcua/motcua.env ] || printf '# MOTCUA_* settings, e.g.\n# MOTCUA_PRINTER=tcp://192.168.1.50:9100\n# MOTCUA_PUBLIC_URL=http://192.168.1.10:%s\n' "$port" > /etc/motcua/motcua.env
systemctl daemon-reload
systemctl enable --now motcua.service motcua-backup.timer
echo "motcua-queue đang chạy: http://$(hostname -I 2>/dev/null | cut -d' ' -f1):$port"
