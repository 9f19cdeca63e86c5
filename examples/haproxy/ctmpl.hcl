# ctmpl configuration for the HAProxy example: renders the whole
# haproxy.cfg from the catalog, checks it with HAProxy's own parser before
# anything reloads, reloads HAProxy through systemd, then proves that the
# HAProxy master's mount namespace sees exactly the rendered bytes.
#
# Install: haproxy.cfg.ctmpl in /etc/ctmpl/, this file as
# /etc/ctmpl/haproxy.hcl, ctmpl-haproxy.service and haproxy.service.d/ from
# this folder under /etc/systemd/system/.

consul {
  address = "127.0.0.1:8500"

  retry {
    attempts    = 0      # never give up on Consul: keep the last good file
    backoff     = "250ms"
    max_backoff = "1m"
  }
}

log_level   = "info"
status_file = "/run/ctmpl-haproxy/status.json"

template {
  source      = "/etc/ctmpl/haproxy.cfg.ctmpl"
  destination = "/etc/haproxy/haproxy.cfg"
  perms       = 0644
  # Keep haproxy.cfg.bak: the file is the whole configuration, not a part.
  backup      = true

  # HAProxy parses the candidate in place; on failure the previous file is
  # restored and HAProxy is not told about it. CTMPL_DESTINATION is the
  # destination path, so this line survives a change of destination. No -q:
  # it silences HAProxy's alerts too, and the log should say what was wrong.
  check {
    command = "/usr/sbin/haproxy -c -f \"$CTMPL_DESTINATION\""
    timeout = "10s"
  }

  # Debian's haproxy.service runs HAProxy in master-worker mode (-Ws) and
  # reloads with SIGUSR2 to the master: new workers take over the listeners,
  # old ones finish their connections, nothing is dropped.
  command         = "systemctl reload haproxy.service"
  command_timeout = "30s"

  # The PID file holds the master's PID; it reads the configuration.
  verify {
    pid_file = "/run/haproxy.pid"
    rollback = true
  }

  # Collapse a burst of catalog changes (a deploy) into one reload.
  wait {
    min = "2s"
    max = "10s"
  }

  error_fatal = false
}
