#!/bin/sh
# Runs inside the booted throwaway root (as a oneshot unit after takd.service): records
# what systemd saw of takd after install, after an upgrade and after a remove, into
# /mnt/shared/probe.txt for the test, then powers the container off.
out=/mnt/shared/probe.txt
: > "$out"

props() { # prefix
	systemctl show takd.service -p LoadState -p ActiveState -p SubState -p MainPID -p NRestarts \
		-p StatusText -p WatchdogTimestampMonotonic -p Result | sed "s/^/$1./" >> "$out"
}

wait_until() { # command…; up to 30 s
	i=0
	while [ $i -lt 60 ] && ! "$@"; do sleep 0.5; i=$((i + 1)); done
}

watchdog_seen() { [ "$(systemctl show -p WatchdogTimestampMonotonic --value takd.service)" != 0 ]; }
pid_changed() { [ "$(systemctl show -p MainPID --value takd.service)" != "$1" ] && systemctl -q is-active takd.service; }

wait_until watchdog_seen
props install
first_pid=$(systemctl show -p MainPID --value takd.service)

dpkg -i /mnt/shared/upgrade.deb </dev/null >> "$out.dpkg" 2>&1
wait_until pid_changed "$first_pid"
props upgrade

dpkg -r takd </dev/null >> "$out.dpkg" 2>&1
props remove

journalctl -u takd.service --no-pager -o cat -n 40 > "$out.journal" 2>&1
echo done >> "$out"
systemctl poweroff
