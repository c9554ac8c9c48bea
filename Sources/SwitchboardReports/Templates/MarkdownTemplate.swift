/// The postmortem draft, after PagerDuty's postmortem template: overview, what happened,
/// resolution, impact, responders, timeline, how we did, action items, messaging. What the log
/// knows is filled in; what only people can write is left as a ✍ prompt.
enum MarkdownTemplate {
    static let document = #"""
{{% CONTENT_TYPE: TEXT}}
# Postmortem: {{title}}{{#drill}} (DRILL){{/drill}}

> **{{#verification.intact}}Verified{{/verification.intact}}{{^verification.intact}}NOT VERIFIED{{/verification.intact}}:** {{verification.statement}}

_A draft written by {{generator}} on {{generated}} UTC from the incident's log and readings. Every ✍ is for you to write; every figure comes from the log._

| | |
|---|---|
| Incident | {{id}} |
| Site | {{site}} |
| Severity | {{severity}}{{#severities}} ({{severities}}){{/severities}} |
| Opened | {{opened}} UTC by {{openedBy}} |
| Closed | {{#isClosed}}{{closed}} UTC by {{closedBy}}{{/isClosed}}{{^isClosed}}still open at the last record, {{lastRecord}} UTC{{/isClosed}} |
| Duration | {{duration}} |
| Incident commanders | {{commanders}} |

## Overview

✍ _In two or three sentences: what happened, who was affected and for how long, and how it was resolved._

## What happened

✍ _The cause, as far as it is known, and how it unfolded. The milestones and the timeline below are what the log recorded._

## Resolution

{{#closingSummary}}Closing summary: {{closingSummary}}

{{/closingSummary}}✍ _What restored service, and what is still temporary._

## Impact

| Milestone | Time (UTC) | Where the time comes from |
|---|---|---|
{{#milestones}}
| {{name}} | {{time}} | {{source}} |
{{/milestones}}

| Interval | From → to | Duration | Meaning |
|---|---|---|---|
{{#durations}}
| {{name}} | {{anchors}} | {{value}} | {{meaning}} |
{{/durations}}

{{#hasQueues}}
Service level per queue, from the consoles' readings:

| Queue | Target | Lowest | Minutes below target | Peak waiting | Longest wait | Agents short (peak) | Readings |
|---|---|---|---|---|---|---|---|
{{#queues}}
| {{queue}} | {{target}} | {{lowest}} | {{below}} | {{waiting}} | {{longestWait}} | {{short}} | {{readings}} by {{readBy}} |
{{/queues}}

{{/hasQueues}}
{{^hasQueues}}
No queue readings were recorded: the service level callers saw is not known from the log.

{{/hasQueues}}
✍ _Callers and clients affected, calls abandoned, contractual SLA breaches, money._

## Responders

| Person | Positions | Staff role | Records | First | Last |
|---|---|---|---|---|---|
{{#people}}
| {{name}} | {{positions}} | {{staffRole}} | {{records}} | {{from}} | {{to}} |
{{/people}}
{{#hasHandovers}}

Hand-overs of command:

{{#handovers}}
- {{time}} UTC: {{from}} → {{to}}, {{how}} (logged by {{by}})
{{/handovers}}
{{/hasHandovers}}
{{#hasRoles}}

Roles assigned:

{{#roles}}
- {{time}} UTC: {{person}} is {{role}} (by {{by}})
{{/roles}}
{{/hasRoles}}
{{#hasSpares}}

Spares used:

{{#spares}}
- {{time}} UTC: {{count}} × {{item}}, by {{by}}
{{/spares}}
{{/hasSpares}}

## Timeline

| Time (UTC) | Event |
|---|---|
{{{timelineRows}}}

## How we did

{{#runbooks}}
### Runbook: {{title}}

Started {{started}} UTC by {{startedBy}}{{#trigger}} (suggested by its trigger: {{trigger}}){{/trigger}}; finished {{finished}}.

| Step | Outcome | Started | Took | By | Notes |
|---|---|---|---|---|---|
{{#steps}}
| {{text}} | {{#problem}}**{{outcome}}**{{/problem}}{{^problem}}{{outcome}}{{/problem}} | {{started}} | {{took}} | {{by}} | {{notes}} |
{{/steps}}

{{/runbooks}}
{{^hasRunbooks}}
No runbook was started.

{{/hasRunbooks}}
{{#hasDecisions}}
### Decisions

{{#decisions}}
- {{time}} UTC, {{by}}: {{#question}}{{question}} → **{{answer}}**{{#text}}: {{text}}{{/text}}{{/question}}{{^question}}{{text}}{{/question}}
{{/decisions}}

{{/hasDecisions}}
### What went well

✍

### What did not go so well

✍

### Where we got lucky

✍

## Action items

{{#hasActions}}
| Action | Owner | Due | From |
|---|---|---|---|
{{#followUps}}
| {{action}} | {{owner}} | {{due}} | the site's follow-ups{{#notes}}: {{notes}}{{/notes}} |
{{/followUps}}
{{#todos}}
| {{text}} | {{by}} | ✍ | to-do #{{seq}}, still open |
{{/todos}}

{{/hasActions}}
✍ _Add what the review decides: each with one owner and a due date._

## Messaging

### Internal

✍ _What staff and management were told, and when._

### External

Client updates were owed {{cadence}}. {{commsSummary}}.
{{#hasGaps}}

| Update due (UTC) | Until | Late by |
|---|---|---|
{{#gaps}}
| {{due}} | {{until}}{{^filled}} (none sent){{/filled}} | {{late}} |
{{/gaps}}
{{/hasGaps}}
{{#messages}}

#### {{time}} UTC · {{channel}}{{#audience}} → {{audience}}{{/audience}}{{#timing}} · {{timing}}{{/timing}}

{{#subject}}**{{subject}}**

{{/subject}}
{{{fence}}}
{{{text}}}
{{{fence}}}
{{/messages}}

## Notes

{{noteCount}} logged.

{{{noteLines}}}

---

{{verification.statement}}
"""#
}
