/// The built-in demo site, shown when no `switchboard.yaml` is found, so a fresh checkout opens a
/// living console. It is ordinary site config made of simulated probes: values wander within
/// plausible bounds and now and then something gentle happens and recovers.
public enum DemoSite {
    public static let source = "built-in demo site"

    public static let yaml = #"""
    site: Demo contact center
    probes:
      # ── power ─────────────────────────────────────────────────────────────
      - id: ups-main
        pane: power
        kind: simulated
        interval: 5s
        metric: battery.charge
        summary: "on line · {{battery.charge}}% · {{battery.runtime}} min left · load {{ups.load}}%"
        warn: "battery.charge=50:,battery.runtime=15:"
        crit: "battery.charge=20:,battery.runtime=5:"
        metrics:
          ups.status: OL
          battery.charge: {start: 100, min: 97, max: 100, step: 0.4, unit: "%"}
          battery.runtime: {start: 41, min: 38, max: 44, step: 0.5, unit: min}
          ups.load: {start: 36, min: 30, max: 44, step: 1.5, unit: "%"}
          input.voltage: {start: 121, min: 116, max: 125, step: 0.8, unit: V}
        glitches:
          - every: 40m
            for: 15s
            status: warning
            summary: "voltage sag, trimming · input {{input.voltage}} V · load {{ups.load}}%"
            set: {ups.status: "OL TRIM", input.voltage: 108}
      - id: generator
        pane: power
        kind: simulated
        interval: 10s
        metric: fuel
        summary: "standby, auto-start armed · fuel {{fuel}}% · last test passed"
        warn: "fuel=60:"
        crit: "fuel=30:"
        metrics:
          state: standby
          fuel: {start: 92, min: 91, max: 92, step: 0.05, unit: "%"}
          coolant: {start: 38, min: 35, max: 41, step: 0.3, unit: C}

      # ── network ───────────────────────────────────────────────────────────
      - id: isp-a
        pane: network
        kind: simulated
        interval: 5s
        metric: rta
        summary: "primary · {{rta}} ms · loss {{pl}}%"
        warn: "rta=100,pl=2"
        crit: "rta=400,pl=10"
        metrics:
          rta: {start: 18, min: 12, max: 34, step: 2.5, unit: ms}
          pl: {start: 0, min: 0, max: 0.6, step: 0.1, unit: "%", decimals: 1}
        glitches:
          - every: 6m
            for: 30s
            summary: "primary · latency spike {{rta}} ms · loss {{pl}}%"
            set: {rta: 185, pl: 3}
      - id: isp-b
        pane: network
        kind: simulated
        interval: 5s
        metric: rta
        summary: "secondary, standing by · {{rta}} ms · loss {{pl}}%"
        warn: "rta=120,pl=2"
        crit: "rta=400,pl=10"
        metrics:
          rta: {start: 27, min: 20, max: 45, step: 3, unit: ms}
          pl: {start: 0, min: 0, max: 0.5, step: 0.1, unit: "%", decimals: 1}
      - id: fw-primary
        pane: network
        kind: simulated
        interval: 5s
        metric: cpu
        summary: "active · cpu {{cpu}}% · {{sessions}} sessions"
        warn: "cpu=80"
        crit: "cpu=95"
        metrics:
          role: active
          cpu: {start: 22, min: 12, max: 38, step: 3, unit: "%"}
          sessions: {start: 1840, min: 1500, max: 2300, step: 60}
      - id: fw-standby
        pane: network
        kind: simulated
        interval: 5s
        metric: sync_lag
        summary: "hot standby · config in sync · lag {{sync_lag}} s"
        warn: "sync_lag=30"
        crit: "sync_lag=120"
        metrics:
          role: standby
          sync_lag: {start: 1, min: 0, max: 3, step: 0.5, unit: s, decimals: 1}
        glitches:
          - every: 25m
            for: 40s
            summary: "hot standby · state sync catching up · lag {{sync_lag}} s"
            set: {sync_lag: 45}
      - id: crm-vendor
        pane: network
        kind: simulated
        interval: 10s
        metric: time
        summary: "hosted CRM · all systems operational · {{time}} ms"
        warn: "time=1500"
        crit: "time=5000"
        metrics:
          status.indicator: none
          time: {start: 240, min: 180, max: 420, step: 30, unit: ms}
        glitches:
          - every: 30m
            for: 60s
            status: warning
            summary: "hosted CRM · vendor reports degraded performance · {{time}} ms"
            set: {status.indicator: minor, time: 1900}

      # ── telephony ─────────────────────────────────────────────────────────
      - id: trunk-a
        pane: telephony
        kind: simulated
        interval: 5s
        metric: channels
        summary: "carrier A · registered · {{channels}}/46 channels · OPTIONS {{rtt}} ms"
        warn: "channels=42"
        crit: "channels=46"
        metrics:
          channels: {start: 24, min: 14, max: 34, step: 2}
          rtt: {start: 21, min: 15, max: 32, step: 2, unit: ms}
      - id: trunk-b
        pane: telephony
        kind: simulated
        interval: 5s
        metric: channels
        summary: "carrier B · registered · {{channels}}/23 channels · OPTIONS {{rtt}} ms"
        warn: "channels=20"
        crit: "channels=23"
        metrics:
          channels: {start: 11, min: 5, max: 17, step: 1.5}
          rtt: {start: 33, min: 24, max: 45, step: 3, unit: ms}
        glitches:
          - every: 8m
            for: 20s
            regular: true
            status: critical
            summary: "carrier B · unregistered · no answer to OPTIONS"
            set: {channels: 0, rtt: 0}
      - id: pbx-acd
        pane: telephony
        kind: simulated
        interval: 5s
        metric: calls
        summary: "primary node active, peer in sync · {{calls}} calls · cpu {{cpu}}%"
        warn: "cpu=75"
        crit: "cpu=90"
        metrics:
          calls: {start: 38, min: 22, max: 52, step: 3}
          cpu: {start: 31, min: 22, max: 44, step: 2, unit: "%"}

      # ── agents & SLA ──────────────────────────────────────────────────────
      # The queues answer calls as Erlang C says their agents would. Every 8 minutes carrier B
      # flaps: its calls come back on carrier A and a few softphones drop, so the queues surge
      # for 2 minutes and their 15-minute service level dips and recovers.
      - id: queue-sales
        pane: agents
        kind: agents
        interval: 5s
        queue: sales
        target: 80/20
        abandons: short-excluded
        simulate: {calls_per_hour: 150, handle_time: 4m, agents: 16, away: 1,
                   surge: {every: 8m, for: 2m, calls: 1.25, agents: -1}}
      - id: queue-support
        pane: agents
        kind: agents
        interval: 5s
        queue: support
        target: 80/30
        abandons: short-excluded
        simulate: {calls_per_hour: 110, handle_time: 6m, agents: 17, away: 1,
                   surge: {every: 8m, for: 2m, calls: 1.25, agents: -1}}

    # ── who to call, who is on site, what is on the shelf ─────────────────────
    contacts:
      - {id: utility, name: Desert Power outage line, phone: "+1 602 555 0100", contract: "account 4471-2290", hours: 24/7}
      - {id: generator-vendor, name: Sonoran Generator Service, phone: "+1 602 555 0111", contract: "SG-88213 (4 h on-site)", hours: 24/7,
        notes: "no technician within 1 h: escalate to the service manager, +1 602 555 0112"}
      - {id: ups-vendor, name: VoltGuard UPS support, phone: "+1 800 555 0122", contract: "VG-55012", hours: 24/7}
      - {id: fuel-supplier, name: Valley Fuel emergency delivery, phone: "+1 602 555 0133", contract: "PO 7781", hours: 24/7}
      - {id: isp-a-noc, name: FiberNet NOC (primary ISP), phone: "+1 877 555 0144", contract: "circuit FN-PHX-00917", hours: 24/7}
      - {id: isp-b-noc, name: AirLink NOC (secondary ISP), phone: "+1 866 555 0155", contract: "circuit AL-3309", hours: 24/7}
      - {id: carrier-a, name: Carrier A SIP trunk NOC, phone: "+1 888 555 0166", contract: "trunk group TG-46-PHX, ticket priority P1", hours: 24/7,
        notes: "P1 ticket unanswered after 30 min: ask for the duty manager"}
      - {id: carrier-b, name: Carrier B SIP trunk NOC, phone: "+1 855 555 0177", contract: "trunk group B-23-PHX", hours: 24/7}
      - {id: pbx-vendor, name: CallCore PBX/ACD support, phone: "+1 800 555 0188", contract: "CC-PREM-2231", hours: 24/7}
      - {id: network-vendor, name: NetEdge firewall and switching support, phone: "+1 800 555 0199", contract: "NE-77410 (NBD parts)", hours: 24/7}
      - {id: crm-vendor, name: CloudDesk CRM support, phone: "+1 888 555 0210", email: support@clouddesk.example, contract: "enterprise 99-1204", hours: 24/7}
      - {id: facilities, name: Building facilities manager, phone: "+1 602 555 0221", hours: "Mon-Fri 7-19, on call otherwise"}
      - {id: building-security, name: Building security desk, phone: "+1 602 555 0232", hours: 24/7}
      - {id: tucson-supervisor, name: Tucson center duty supervisor, phone: "+1 520 555 0243", hours: "7-22 daily"}
      - {id: client-account-manager, name: Client account management lead, phone: "+1 602 555 0254", email: accounts@contact.example, hours: "Mon-Fri 8-18"}
      - {id: dr-coordinator, name: Business continuity coordinator, phone: "+1 602 555 0265", hours: 24/7}
    staff:
      - {name: Dana Ortiz, role: facilities, phone: "+1 602 555 0301"}
      - {name: Sam Patel, role: network, phone: "+1 602 555 0302"}
      - {name: Lee Chen, role: telephony, phone: "+1 602 555 0303"}
      - {name: Ana Ruiz, role: communications, phone: "+1 602 555 0304"}
    spares:
      - {id: ups-battery, item: UPS battery module, location: Storeroom B shelf 3, count: 4}
      - {id: sfp-10g, item: 10G SFP+ optic (LR), location: Comms room cabinet 2, count: 6}
      - {id: switch-psu, item: Core switch power supply, location: Comms room cabinet 2, count: 2}
      - {id: fw-appliance, item: Cold-spare firewall appliance (pre-configured), location: Storeroom B shelf 1, count: 1}
      - {id: headsets, item: USB headsets, location: Supervisor office, count: 25}
    comms:
      client-degraded:
        channel: client-email
        audience: all clients
        subject: "Service notice: {{site}} is operating in a degraded mode"
        body: "We are responding to an incident at {{site}} ({{incident}}). Calls are being answered; callers wait about {{expected_wait}} and {{service_level}} of calls are answered within target. Next update within 20 minutes."
      client-update:
        channel: client-email
        audience: all clients
        subject: "Update on the incident at {{site}}"
        body: "Update on {{incident}} at {{site}}: {{text}}. We expect to be back to normal by {{eta}}. Next update within 20 minutes."
      client-restored:
        channel: client-email
        audience: all clients
        subject: "Service restored at {{site}}"
        body: "Service at {{site}} is back to normal. The incident {{incident}} is resolved; a written summary follows within two business days."
      ivr-delay:
        channel: ivr-announcement
        audience: callers
        body: "We are experiencing a technical problem and waits are longer than usual. Thank you for holding."
      alternate-routing:
        channel: client-email
        audience: all clients
        subject: "Calls for {{site}} are being answered from our alternate center"
        body: "During the incident at {{site}}, calls are being routed to our alternate center. Service continues; waits may be longer."
      staff-alert:
        channel: staff-sms
        audience: on-site and standby staff
        body: "Incident at {{site}}: {{text}}. Check in with the incident commander."
    alternate_sites:
      - {id: tucson, name: Tucson contact center, agents: 20, queues: [sales, support]}
    follow_ups:
      - {id: csat-survey, action: Send the client satisfaction survey to every client affected, owner: Client services lead, due: 3d}
      - {id: post-incident-review, action: Hold the post-incident review, owner: Site manager, due: 7d}
    """#
}
