/// The commented `switchboard.yaml` that `switchboard init` writes: a small site with one example
/// of every probe kind, explained line by line, that validates as written.
public enum StarterConfig {
    public static let yaml = #"""
    # switchboard.yaml: the site this console watches.
    # Check it with `switchboard check`, then start the console with `switchboard`.
    # Durations: 500ms, 30s, 5m, 1h. Thresholds use the monitoring-plugins range syntax:
    #   10 (alert above 10)   10: (alert below 10)   ~:10 (alert above 10)   10:20 (alert outside)
    #   @10:20 (alert inside)

    site: My contact center

    probes:
      # Every probe has an id (a-z, 0-9, -), the pane it shows in (power, network, telephony,
      # agents), a kind, and optionally: interval (default 30s), timeout (default 10s, at most the
      # interval), metric (the one shown in the row and sparkline), warn/crit thresholds per
      # metric, as "metric=range" (several separated by commas) or a mapping of metric: range,
      # and attempts (default 1: how many non-OK results in a row before a problem shows).

      # kind: simulated: values that wander within bounds, with occasional glitches. Useful for
      # trying the console and for drills; replace with real probes for a real site.
      - id: ups-main
        pane: power
        kind: simulated
        interval: 5s
        metric: battery.charge
        warn: "battery.charge=50:"
        crit: "battery.charge=20:"
        summary: "on line · {{battery.charge}}% · load {{ups.load}}%"   # mustache; dots name metrics
        metrics:
          ups.status: OL                                              # a fixed value
          battery.charge: {start: 100, min: 96, max: 100, step: 0.5, unit: "%"}
          ups.load: {start: 35, min: 28, max: 42, step: 1.5, unit: "%", decimals: 0}
        glitches:
          - every: 30m            # on average once in this long
            for: 20s              # how long it lasts before recovering
            status: warning
            summary: "voltage sag, trimming · load {{ups.load}}%"
            set: {ups.status: "OL TRIM"}
        # seed: 42                # the same seed repeats the same values

      # kind: exec: any monitoring-plugins check (apt-get install monitoring-plugins), as an argv
      # list, never a shell. Exit code 0/1/2/3 is ok/warning/critical/unknown; performance data
      # after '|' becomes metrics. At the timeout the check's whole process group is killed.
      - id: isp-a
        pane: network
        kind: exec
        interval: 30s
        timeout: 10s
        command: [/usr/lib/nagios/plugins/check_ping, -H, 127.0.0.1, -w, "100,20%", -c, "500,60%"]
        attempts: 3               # one lost ping round is not an outage
        # env: {LC_ALL: C}        # added to the environment
        # cwd: /var/tmp           # working directory

      # kind: stream: a long-lived program in any language that prints one JSON line per reading,
      # {"status": "ok", "summary": "...", "metrics": {...}}, restarted if it exits. A line with
      # "id": "queue-sales" feeds the probe queue-sales, declared with `from:`.
      # - id: acd
      #   pane: agents
      #   kind: stream
      #   interval: 30s           # expect a line at least this often
      #   command: [/opt/switchboard/acd_feed, /var/lib/acd/queues.json]
      # - id: queue-sales
      #   pane: agents
      #   kind: stream
      #   from: acd
      #   crit: "service_level=60:"

      # Native kinds speak their protocol themselves: no helper process. Uncomment and point
      # them at your systems. Each one's metrics take warn/crit thresholds like any other.

      # kind: nut: a UPS through Network UPS Tools' upsd (port 3493). OL is ok; OB, TRIM,
      # BOOST, BYPASS warning; LB, FSD, OFF, OVER critical. Every NUT variable is a metric.
      # - id: ups-nut
      #   pane: power
      #   kind: nut
      #   target: main@10.0.0.5           # UPS@HOST[:PORT]
      #   interval: 10s
      #   crit: "battery.runtime=300:"     # under 5 minutes of battery left
      #   # username: monitor             # only if upsd wants a login
      #   # password: secret

      # kind: sip: a SIP OPTIONS ping (udp, or tcp). 200 is ok; 404, 403 … "alive, but";
      # 503 or no answer critical. Metrics: rtt (ms), code.
      # - id: trunk-a
      #   pane: telephony
      #   kind: sip
      #   target: sip:ping@sbc.example.net:5060
      #   # transport: tcp
      #   # accept: [404]                 # answers that count as ok for this server
      #   warn: "rtt=150"

      # kind: tcp: connect time to HOST:PORT, optionally sending text and expecting a reply.
      # - id: cti-link
      #   pane: agents
      #   kind: tcp
      #   target: acd.example.net:5038
      #   # send: "Action: Ping\r\n\r\n"
      #   # expect: "Response: Success"

      # kind: http: a GET; 2xx/3xx ok. contains: text the body needs; json: a value whose
      # lists decide the status, so a vendor's status page becomes a probe.
      # - id: crm-vendor
      #   pane: network
      #   kind: http
      #   url: https://status.crm.example.com/api/v2/status.json
      #   interval: 1m
      #   json: {path: status.indicator, ok: [none], warning: [minor, maintenance], critical: [major, critical], text: status.description}

      # kind: dns: resolve a name with the system's name server (or server: HOST[:PORT]).
      # NXDOMAIN, SERVFAIL and no answer are critical.
      # - id: dns-pbx
      #   pane: network
      #   kind: dns
      #   name: pbx.example.net
      #   # type: AAAA                    # A by default; also CNAME MX NS PTR SOA SRV TXT
      #   # expect: [10.0.0.20]

      # kind: prometheus: an instant query's one value, judged by thresholds.
      # - id: sbc-blackbox
      #   pane: telephony
      #   kind: prometheus
      #   url: http://prometheus.example.net:9090
      #   query: 'probe_success{job="blackbox", instance="sbc-a"}'
      #   name: up
      #   crit: "up=1:"

      # kind: agents: a queue's statistics from the ACD/WFM platform (JSON or CSV, over HTTP or
      # from a file), its service level against target, and the agents Erlang C says it needs.
      # - id: queue-support
      #   pane: agents
      #   kind: agents
      #   url: http://acd.example.net/api/queues.json   # or file: /var/lib/acd/queues.csv
      #   queue: support
      #   target: 80/20                   # 80 % of calls answered within 20 s
      #   abandons: short-excluded        # counted | excluded | short-excluded

    # Reference data that runbooks point at. Lists of entries, for example:
    # contacts:
    #   - {id: generator-vendor, name: Desert Power Service, phone: "+1 602 555 0100", contract: DPS-4471, hours: 24/7}
    # staff:
    #   - {name: Dana Ruiz, role: facilities, phone: "+1 602 555 0142"}
    # spares:
    #   - {id: ups-battery, item: UPS battery module, location: Storeroom B shelf 3, count: 4}
    # Customer messages (c in the console, and notify: steps), filled with live values:
    # comms:
    #   client-update:
    #     channel: client-email
    #     audience: all clients
    #     subject: "Update on the incident at {{site}}"
    #     body: "{{text}}. Service level now {{service_level}}; we expect recovery by {{eta}}."
    # comms_cadence: {first: 5m, every: 20m}   # when client updates are due while an incident is open
    # alternate_sites:
    #   - {id: tucson, name: Tucson contact center, agents: 20, queues: [sales, support]}
    # follow_ups:                              # after the incident: reports list them as action items
    #   - {id: csat-survey, action: Send the client satisfaction survey, owner: Client services lead, due: 3d}
    """#
}
