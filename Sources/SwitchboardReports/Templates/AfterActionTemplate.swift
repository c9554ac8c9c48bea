/// The after-action report of a drill, in the shape HSEEP gives an AAR/IP: exercise overview,
/// analysis of each objective (expected actions, proposed rating, strengths and areas for
/// improvement), the injects against what the players did, and the improvement plan, whose
/// corrective actions, owners and dates are left for the hot wash (✍).
enum AfterActionTemplate {
    static let markdown = #"""
{{% CONTENT_TYPE: TEXT}}
# After-action report: {{scenarioTitle}} (EXERCISE)

> **{{#verification.intact}}Verified{{/verification.intact}}{{^verification.intact}}NOT VERIFIED{{/verification.intact}}:** {{verification.statement}}

_A draft written by {{generator}} on {{generated}} UTC from the drill's log. Ratings are proposed from the expectations met; the evaluators confirm them. Every ✍ is for the hot wash to write._

## Exercise overview

| | |
|---|---|
| Exercise | {{scenarioTitle}} (scenario `{{scenarioID}}`) |
| Drill incident | {{id}} at {{site}} |
| Date | {{exerciseDate}} UTC |
| Scenario time | {{played}} |
| Scope and audience | {{audience}} |
| Scenario file | {{scenarioFile}}: {{scenarioCheck}}{{#scenarioProblem}} ⚠{{/scenarioProblem}} |
| Facilitator | {{facilitator}} |
| Pace | {{pace}} |
| Injects | {{injectsPlayed}} |
{{#scenarioDescription}}

{{scenarioDescription}}
{{/scenarioDescription}}

### Objectives

{{#objectives}}
- **{{rating}}** {{text}}
{{/objectives}}
{{^hasObjectives}}
_The scenario was not found, so its objectives cannot be listed or scored._
{{/hasObjectives}}

### Participants

| Person | Positions | Staff role | Records | First | Last |
|---|---|---|---|---|---|
{{#people}}
| {{name}} | {{positions}} | {{staffRole}} | {{records}} | {{from}} | {{to}} |
{{/people}}

## Analysis of objectives

Ratings: P performed without challenges · S performed with some challenges · M performed with major challenges · U unable to be performed.

{{#objectives}}
### {{text}}

Proposed rating: **{{rating}}**, {{ratingText}}.

| Inject | Expected action | Within | Result |
|---|---|---|---|
{{#expectations}}
| {{inject}} | {{action}} | {{within}} | {{result}} |
{{/expectations}}

{{/objectives}}
### Strengths

{{#strengths}}
- {{at}}, {{objective}}: {{text}} ({{by}})
{{/strengths}}
{{^strengths}}
✍ _No strength was noted during the drill: add what went well._
{{/strengths}}

### Areas for improvement

{{#improvements}}
- {{at}}, {{objective}}: {{text}} ({{by}})
{{/improvements}}
{{^improvements}}
✍ _No area for improvement was noted during the drill: add them from the hot wash._
{{/improvements}}
{{#hasObservations}}

### Observations

{{#observations}}
- {{at}}, {{objective}}: {{text}} ({{by}})
{{/observations}}
{{/hasObservations}}

## Injects and actions

| Scenario time | Inject or control | Players' action |
|---|---|---|
{{#exerciseTimeline}}
| {{at}} | {{inject}} | {{action}} |
{{/exerciseTimeline}}

## Improvement plan

| Objective | Area for improvement | Corrective action | Owner | Due |
|---|---|---|---|---|
{{#plan}}
| {{objective}} | {{area}} | ✍ | ✍ | ✍ |
{{/plan}}
| ✍ | ✍ | ✍ | ✍ | ✍ |

---
{{verification.statement}}
"""#

    /// What the after-action page adds to the reports' shared styles: results by outcome.
    static let style = #"""
.met { color: var(--ok); } .late, .open { color: var(--warning); } .missed, .wrong { color: var(--critical); font-weight: bold; }
.unplayed { color: var(--stale); } .rating { font-weight: bold; font-size: 12pt; }
.fill { height: 2.2rem; }
"""#

    static let html = HTMLTemplate.head(title: "After-action report: {{scenarioTitle}}") + #"""
<body>
<header>
<h1><span class="drill">EXERCISE</span> After-action report: {{scenarioTitle}}</h1>
<p class="muted">{{id}} · {{site}} · written by {{generator}} on {{generated}} UTC from the drill's log · ratings are proposed from the expectations met; the evaluators confirm them</p>
<p class="banner{{^verification.intact}} bad{{/verification.intact}}" id="verification">{{#verification.intact}}Verified{{/verification.intact}}{{^verification.intact}}NOT VERIFIED{{/verification.intact}}: {{verification.statement}}</p>
</header>

<section id="overview">
<h2>Exercise overview</h2>
<table>
<tr><th style="width:25%">Exercise</th><td>{{scenarioTitle}} (scenario {{scenarioID}})</td></tr>
<tr><th>Date</th><td>{{exerciseDate}} UTC</td></tr>
<tr><th>Scenario time</th><td>{{played}}</td></tr>
<tr><th>Scope and audience</th><td>{{audience}}</td></tr>
<tr><th>Scenario file</th><td{{#scenarioProblem}} class="problem"{{/scenarioProblem}}>{{scenarioFile}}: {{scenarioCheck}}</td></tr>
<tr><th>Facilitator</th><td>{{facilitator}}</td></tr>
<tr><th>Pace</th><td>{{pace}}</td></tr>
<tr><th>Injects</th><td>{{injectsPlayed}}</td></tr>
</table>
{{#scenarioDescription}}<p>{{scenarioDescription}}</p>{{/scenarioDescription}}
<h3>Objectives</h3>
<ul>
{{#objectives}}<li><span class="rating">{{rating}}</span> {{text}}</li>
{{/objectives}}</ul>
{{^hasObjectives}}<p class="problem">The scenario was not found, so its objectives cannot be listed or scored.</p>{{/hasObjectives}}
<h3>Participants</h3>
<table>
<tr><th>Person</th><th>Positions</th><th>Staff role</th><th style="width:12%">Records</th><th style="width:10%">First</th><th style="width:10%">Last</th></tr>
{{#people}}<tr><td>{{name}}</td><td>{{positions}}</td><td>{{staffRole}}</td><td>{{records}}</td><td>{{from}}</td><td>{{to}}</td></tr>
{{/people}}
</table>
</section>

<section id="objectives">
<h2>Analysis of objectives</h2>
<p class="muted">P performed without challenges · S performed with some challenges · M performed with major challenges · U unable to be performed</p>
{{#objectives}}
<h3>{{text}}</h3>
<p>Proposed rating: <span class="rating">{{rating}}</span>, {{ratingText}}.</p>
<table>
<tr><th style="width:16%">Inject</th><th style="width:32%">Expected action</th><th style="width:10%">Within</th><th>Result</th></tr>
{{#expectations}}<tr><td>{{inject}}</td><td>{{action}}</td><td>{{within}}</td><td class="{{outcome}}">{{result}}</td></tr>
{{/expectations}}
</table>
{{/objectives}}
<h3>Strengths</h3>
<ul>{{#strengths}}<li>{{at}}, {{objective}}: {{text}} ({{by}})</li>{{/strengths}}</ul>
{{^strengths}}<p class="prompt">✍ No strength was noted during the drill: add what went well.</p>{{/strengths}}
<h3>Areas for improvement</h3>
<ul>{{#improvements}}<li>{{at}}, {{objective}}: {{text}} ({{by}})</li>{{/improvements}}</ul>
{{^improvements}}<p class="prompt">✍ No area for improvement was noted during the drill: add them from the hot wash.</p>{{/improvements}}
{{#hasObservations}}<h3>Observations</h3>
<ul>{{#observations}}<li>{{at}}, {{objective}}: {{text}} ({{by}})</li>{{/observations}}</ul>{{/hasObservations}}
</section>

<section id="timeline">
<h2>Injects and actions</h2>
<table>
<tr><th style="width:12%">Scenario time</th><th style="width:44%">Inject or control</th><th>Players' action</th></tr>
{{#exerciseTimeline}}<tr><td>{{at}}</td><td>{{inject}}</td><td>{{action}}</td></tr>
{{/exerciseTimeline}}
</table>
</section>

<section id="plan">
<h2>Improvement plan</h2>
<table>
<tr><th style="width:22%">Objective</th><th style="width:30%">Area for improvement</th><th>Corrective action</th><th style="width:12%">Owner</th><th style="width:10%">Due</th></tr>
{{#plan}}<tr><td>{{objective}}</td><td>{{area}}</td><td class="fill"></td><td></td><td></td></tr>
{{/plan}}<tr><td class="fill"></td><td></td><td></td><td></td><td></td></tr>
</table>
</section>

<footer><p class="banner{{^verification.intact}} bad{{/verification.intact}}">{{verification.statement}}</p></footer>
</body>
</html>
"""#
}
