# ctmpl configuration for the nginx example: renders the upstreams and
# locations of every service tagged "http" into nginx's conf.d, checks the
# whole nginx configuration with the new file in place, reloads nginx, then
# proves nginx's own mount namespace sees exactly the rendered bytes.
#
# Install: proxy.conf.ctmpl in /etc/ctmpl/, this file as /etc/ctmpl/ctmpl.hcl,
# ctmpl.service and nginx.service.d/ from this folder under /etc/systemd/system/.

consul {
  address = "127.0.0.1:8500"

  retry {
    attempts    = 0      # never give up on Consul: keep the last good file
    backoff     = "250ms"
    max_backoff = "1m"
  }
}

log_level   = "info"
status_file = "/run/ctmpl/status.json"

template {
  source      = "/etc/ctmpl/proxy.conf.ctmpl"
  # Not under /tmp: nginx.service may run with PrivateTmp=true and would
  # never see a file there.
  destination = "/etc/nginx/conf.d/ctmpl-proxy.conf"
  perms       = 0644

  # A bad render never reaches nginx: the whole configuration is tested with
  # the new file in place, and the previous file is restored on failure.
  check {
    command = "nginx -t -q"
    timeout = "10s"
  }

  command         = "systemctl reload nginx.service"
  command_timeout = "30s"

  # After the reload, read the file through nginx's own mount namespace.
  verify {
    pid_file = "/run/nginx.pid"
    rollback = true
  }

  # Collapse a burst of catalog changes (a deploy) into one reload.
  wait {
    min = "2s"
    max = "10s"
  }

  error_fatal = false
}
