/// The report as one self-contained page: no external asset, no script, printable on A4 or
/// Letter (each section starts where it fits, tables break between rows, the pictures scale).
enum HTMLTemplate {
    /// The styles every HTML report shares (the ICS 214 forms and the after-action report too).
    static let style = #"""
:root { --ok: #2e7d32; --warning: #b26a00; --critical: #c62828; --unknown: #6a1b9a; --stale: #616161; --pending: #9e9e9e; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.4 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #111; margin: 0 auto; max-width: 60rem; padding: 1.2rem; }
h1 { font-size: 18pt; margin: 0 0 .3rem; }
h2 { font-size: 13pt; border-bottom: 2px solid #333; margin: 1.4rem 0 .5rem; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11pt; margin: 1rem 0 .3rem; break-after: avoid; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; margin: .3rem 0 .8rem; }
th, td { border: 1px solid #bbb; padding: .2rem .35rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; word-break: break-word; }
th { background: #eee; }
tr { break-inside: avoid; page-break-inside: avoid; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f6f6; border: 1px solid #ddd; padding: .4rem; font: 9.5pt/1.35 "DejaVu Sans Mono", monospace; }
.banner { border: 2px solid var(--ok); padding: .4rem .6rem; margin: .5rem 0; overflow-wrap: anywhere; }
.banner.bad { border-color: var(--critical); color: var(--critical); font-weight: bold; }
.drill { display: inline-block; background: #111; color: #fff; padding: 0 .4rem; font-weight: bold; }
.muted { color: #555; }
.problem { color: var(--critical); font-weight: bold; }
.prompt { color: #555; font-style: italic; }
svg { width: 100%; height: auto; display: block; }
svg text { font: 12px "DejaVu Sans", Arial, sans-serif; fill: #111; }
svg .heading { font-weight: bold; }
svg .grid { stroke: #ccc; stroke-width: .5; }
svg .tick { stroke: #ddd; stroke-width: .5; }
.s-ok { fill: var(--ok); } .s-warning { fill: var(--warning); } .s-critical { fill: var(--critical); }
.s-unknown { fill: var(--unknown); } .s-stale { fill: var(--stale); } .s-pending { fill: var(--pending); }
.step { fill: #1565c0; } .step.late { fill: var(--critical); } .step.skipped { fill: #9e9e9e; }
.sl { fill: none; stroke: #1565c0; stroke-width: 1.5; } .target { stroke: var(--critical); stroke-dasharray: 4 3; stroke-width: 1; }
.legend span { display: inline-block; margin-right: .8rem; }
.swatch { display: inline-block; width: .8rem; height: .8rem; vertical-align: middle; margin-right: .2rem; }
section { break-inside: auto; }
@page { margin: 14mm 12mm; }
@media print { body { max-width: none; padding: 0; font-size: 9.5pt; } a { color: inherit; text-decoration: none; } }
"""#

    /// The opening every report page shares, to its `<body>`: `title` is a template.
    static func head(title: String) -> String {
        #"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{{generator}}">
"""# + "\n<title>\(title)</title>\n<style>{{{style}}}</style>\n</head>\n"
    }

    static let document = head(title: "Postmortem: {{title}}") + #"""
<body>
<header>
<h1>{{#drill}}<span class="drill">DRILL</span> {{/drill}}Postmortem: {{title}}</h1>
<p class="muted">{{id}} · {{site}} · written by {{generator}} on {{generated}} UTC from the incident's log and readings</p>
<p class="banner{{^verification.intact}} bad{{/verification.intact}}" id="verification">{{#verification.intact}}Verified{{/verification.intact}}{{^verification.intact}}NOT VERIFIED{{/verification.intact}}: {{verification.statement}}</p>
</header>

<section id="summary">
<h2>Summary</h2>
<table>
<tr><th style="width:25%">Severity</th><td>{{severity}}{{#severities}} ({{severities}}){{/severities}}</td></tr>
<tr><th>Opened</th><td>{{opened}} UTC by {{openedBy}}</td></tr>
<tr><th>Closed</th><td>{{#isClosed}}{{closed}} UTC by {{closedBy}}{{/isClosed}}{{^isClosed}}still open at the last record, {{lastRecord}} UTC{{/isClosed}}</td></tr>
<tr><th>Duration</th><td>{{duration}}</td></tr>
<tr><th>Incident commanders</th><td>{{commanders}}</td></tr>
{{#closingSummary}}<tr><th>Closing summary</th><td>{{closingSummary}}</td></tr>{{/closingSummary}}
</table>
<p class="prompt">Overview: in two or three sentences, what happened, who was affected and for how long, and how it was resolved.</p>
</section>

<section id="milestones">
<h2>Milestones and durations</h2>
<table>
<tr><th style="width:20%">Milestone</th><th style="width:22%">Time (UTC)</th><th>Where the time comes from</th></tr>
{{#milestones}}<tr><td>{{name}}</td><td>{{time}}</td><td>{{source}}</td></tr>
{{/milestones}}
</table>
<table>
<tr><th style="width:22%">Interval</th><th style="width:28%">From → to</th><th style="width:14%">Duration</th><th>Meaning</th></tr>
{{#durations}}<tr><td>{{name}}</td><td>{{anchors}}</td><td>{{value}}</td><td>{{meaning}}</td></tr>
{{/durations}}
</table>
</section>

<section id="timeline-chart">
<h2>The incident at a glance</h2>
<p class="legend"><span><i class="swatch" style="background:var(--ok)"></i>OK</span><span><i class="swatch" style="background:var(--warning)"></i>warning</span><span><i class="swatch" style="background:var(--critical)"></i>critical</span><span><i class="swatch" style="background:var(--unknown)"></i>unknown</span><span><i class="swatch" style="background:var(--stale)"></i>stale</span><span><i class="swatch" style="background:#1565c0"></i>runbook step</span><span>◆ decision · ✉ message · ⚑ hand-over</span></p>
{{#chart}}
<svg viewBox="0 0 1000 {{height}}" role="img" aria-label="Each probe's status, the runbook steps, and the decisions, messages and hand-overs over the incident">
{{#ticks}}<line class="tick" x1="{{x}}" y1="{{top}}" x2="{{x}}" y2="{{bottom}}"/><text x="{{x}}" y="12" text-anchor="middle">{{label}}</text>
{{/ticks}}
{{#rows}}<text x="4" y="{{y}}"{{#heading}} class="heading"{{/heading}}>{{label}}<title>{{full}}</title></text><line class="grid" x1="0" y1="{{lineY}}" x2="{{right}}" y2="{{lineY}}"/>
{{/rows}}
{{#bars}}<rect class="{{style}}" x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}"><title>{{title}}</title></rect>
{{/bars}}
{{#markers}}<text x="{{x}}" y="{{y}}" text-anchor="middle">{{shape}}<title>{{title}}</title></text>
{{/markers}}
</svg>
{{/chart}}
</section>

<section id="service-levels">
<h2>Service level per queue</h2>
{{#hasQueues}}
<table>
<tr><th>Queue</th><th>Target</th><th>Lowest</th><th>Below target</th><th>Peak waiting</th><th>Longest wait</th><th>Agents short</th></tr>
{{#queues}}<tr><td>{{queue}}</td><td>{{target}}</td><td>{{lowest}}</td><td>{{below}}</td><td>{{waiting}}</td><td>{{longestWait}}</td><td>{{short}}</td></tr>
{{/queues}}
</table>
{{#levelCharts}}
<h3>{{queue}}: service level against target (lowest {{lowest}})</h3>
<svg viewBox="0 0 1000 {{height}}" role="img" aria-label="Service level of {{queue}} over the incident">
{{#gridlines}}<line class="grid" x1="{{left}}" y1="{{y}}" x2="{{right}}" y2="{{y}}"/><text x="{{left}}" dx="-4" y="{{labelY}}" text-anchor="end">{{label}}</text>
{{/gridlines}}
{{#ticks}}<line class="tick" x1="{{x}}" y1="{{top}}" x2="{{x}}" y2="{{bottom}}"/><text x="{{x}}" y="{{bottom}}" dy="12" text-anchor="middle">{{label}}</text>
{{/ticks}}
{{#hasTarget}}<line class="target" x1="{{left}}" y1="{{targetY}}" x2="{{right}}" y2="{{targetY}}"/><text x="{{right}}" y="{{targetY}}" dy="-3" text-anchor="end">{{targetLabel}}</text>{{/hasTarget}}
<polyline class="sl" points="{{points}}"/>
</svg>
{{/levelCharts}}
{{/hasQueues}}
{{^hasQueues}}<p>No queue readings were recorded: the service level callers saw is not known from the log.</p>{{/hasQueues}}
<p class="prompt">Impact: callers and clients affected, calls abandoned, contractual SLA breaches, money.</p>
</section>

<section id="runbooks">
<h2>Runbooks and steps</h2>
{{#runbooks}}
<h3>{{title}}</h3>
<p>Started {{started}} UTC by {{startedBy}}{{#trigger}} (suggested by its trigger: {{trigger}}){{/trigger}}; finished {{finished}}.</p>
<table>
<tr><th style="width:30%">Step</th><th style="width:11%">Outcome</th><th style="width:10%">Started</th><th style="width:9%">Took</th><th style="width:10%">By</th><th>Notes</th></tr>
{{#steps}}<tr><td>{{text}}</td><td{{#problem}} class="problem"{{/problem}}>{{outcome}}</td><td>{{started}}</td><td>{{took}}</td><td>{{by}}</td><td>{{notes}}</td></tr>
{{/steps}}
</table>
{{/runbooks}}
{{^hasRunbooks}}<p>No runbook was started.</p>{{/hasRunbooks}}
{{#hasDecisions}}
<h3>Decisions</h3>
<table>
<tr><th style="width:20%">Time (UTC)</th><th style="width:12%">By</th><th>Decision</th></tr>
{{#decisions}}<tr><td>{{time}}</td><td>{{by}}</td><td>{{#question}}{{question}} → <strong>{{answer}}</strong>{{#text}}: {{text}}{{/text}}{{/question}}{{^question}}{{text}}{{/question}}</td></tr>
{{/decisions}}
</table>
{{/hasDecisions}}
<p class="prompt">How we did: what went well, what did not go so well, where we got lucky.</p>
</section>

<section id="comms">
<h2>Customer communications</h2>
<p>Client updates were owed {{cadence}}. {{commsSummary}}.</p>
{{#hasGaps}}
<table>
<tr><th>Update due (UTC)</th><th>Until</th><th>Late by</th></tr>
{{#gaps}}<tr><td>{{due}}</td><td>{{until}}{{^filled}} (none sent){{/filled}}</td><td class="problem">{{late}}</td></tr>
{{/gaps}}
</table>
{{/hasGaps}}
{{#messages}}
<h3>{{time}} UTC · {{channel}}{{#audience}} → {{audience}}{{/audience}}{{#timing}} · <span{{#late}} class="problem"{{/late}}>{{timing}}</span>{{/timing}}</h3>
{{#subject}}<p><strong>{{subject}}</strong></p>{{/subject}}
<pre>{{text}}</pre>
{{/messages}}
</section>

<section id="responders">
<h2>Responders</h2>
<table>
<tr><th>Person</th><th>Positions</th><th>Staff role</th><th>Records</th><th>First</th><th>Last</th></tr>
{{#people}}<tr><td>{{name}}</td><td>{{positions}}</td><td>{{staffRole}}</td><td>{{records}}</td><td>{{from}}</td><td>{{to}}</td></tr>
{{/people}}
</table>
{{#hasHandovers}}<h3>Hand-overs of command</h3><ul>
{{#handovers}}<li>{{time}} UTC: {{from}} → {{to}}, {{how}} (logged by {{by}})</li>
{{/handovers}}</ul>{{/hasHandovers}}
{{#hasRoles}}<h3>Roles assigned</h3><ul>
{{#roles}}<li>{{time}} UTC: {{person}} is {{role}} (by {{by}})</li>
{{/roles}}</ul>{{/hasRoles}}
{{#hasSpares}}<h3>Spares used</h3><ul>
{{#spares}}<li>{{time}} UTC: {{count}} × {{item}}, by {{by}}</li>
{{/spares}}</ul>{{/hasSpares}}
</section>

<section id="actions">
<h2>Action items</h2>
{{#hasActions}}
<table>
<tr><th style="width:45%">Action</th><th>Owner</th><th style="width:14%">Due</th><th>From</th></tr>
{{#followUps}}<tr><td>{{action}}</td><td>{{owner}}</td><td>{{due}}</td><td>the site's follow-ups{{#notes}}: {{notes}}{{/notes}}</td></tr>
{{/followUps}}
{{#todos}}<tr><td>{{text}}</td><td>{{by}}</td><td></td><td>to-do #{{seq}}, still open</td></tr>
{{/todos}}
</table>
{{/hasActions}}
<p class="prompt">Add what the review decides: each action with one owner and a due date.</p>
</section>

<section id="notes">
<h2>Notes</h2>
<p>{{noteCount}} logged.</p>
<ul>
{{{noteLines}}}</ul>
</section>

<section id="timeline">
<h2>Timeline</h2>
<table>
<tr><th style="width:19%">Time (UTC)</th><th style="width:6%">#</th><th style="width:13%">Who</th><th style="width:13%">Kind</th><th>Event</th></tr>
{{{timelineRows}}}</table>
</section>

<footer><p class="banner{{^verification.intact}} bad{{/verification.intact}}">{{verification.statement}}</p></footer>
</body>
</html>
"""#

    // The rows streamed into the document, a million for a long log: too many for the template
    // engine's pace (its reflection costs microseconds a row), so written here, every value escaped.

    /// One row of the timeline table.
    static func appendTimelineRow(_ entry: TimelineEntry, to row: inout RowBytes) {
        row.append("<tr><td>")
        row.append(dateTime: entry.time)
        row.append("</td><td>")
        row.append(entry.seq)
        row.append("</td><td>")
        row.append(entry.actor, escaping: .html)
        row.append("</td><td>")
        row.append(entry.kind, escaping: .html)
        row.append("</td><td>")
        row.append(entry.event, escaping: .html)
        row.append("</td></tr>\n")
    }

    /// One note.
    static func appendNoteLine(_ entry: TimelineEntry, to row: inout RowBytes) {
        row.append("<li>")
        row.append(dateTime: entry.time)
        row.append(" UTC, ")
        row.append(entry.actor, escaping: .html)
        row.append(": ")
        row.append(entry.event, escaping: .html)
        row.append("</li>\n")
    }
}
