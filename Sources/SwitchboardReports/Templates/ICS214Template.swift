import Foundation

/// FEMA's ICS 214 Activity Log (v3), one form per person: blocks 1–6 on its first page, the
/// activity log (block 7) continued on as many pages as it needs, and block 8 on every page,
/// each numbered "ICS 214, Page N" as the paper form is.
enum ICS214Template {
    /// The page's start, with the verification.
    static let head = #"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="generator" content="{{generator}}">
<title>ICS 214 Activity Log: {{incidentName}}</title>
<style>{{{style}}}
.form { border: 2px solid #111; margin: 0 0 1rem; break-after: page; page-break-after: always; }
.form:last-of-type { break-after: auto; page-break-after: auto; }
.form h1 { font-size: 13pt; margin: 0; padding: .3rem .5rem; border-bottom: 2px solid #111; display: flex; justify-content: space-between; }
.form table { margin: 0; }
.form th, .form td { border: 1px solid #111; }
.block { font-size: 8pt; font-weight: bold; display: block; color: #333; }
.pagefoot { display: flex; justify-content: space-between; padding: .2rem .5rem; font-size: 9pt; border-top: 2px solid #111; }
</style>
</head>
<body>
<p class="banner{{^intact}} bad{{/intact}}" id="verification">{{#intact}}Verified{{/intact}}{{^intact}}NOT VERIFIED{{/intact}}: {{statement}}</p>

"""#

    /// One page of one person's form.
    static let page = #"""
<section class="form" id="form-{{formNumber}}-page-{{page}}">
<h1><span>ACTIVITY LOG (ICS 214)</span>{{#drill}}<span class="drill">EXERCISE</span>{{/drill}}</h1>
<table>
<tr><td style="width:40%"><span class="block">1. Incident Name:</span>{{incidentName}}</td>
<td><span class="block">2. Operational Period:</span>Date From: {{dateFrom}} · Date To: {{dateTo}}<br>Time From: {{timeFrom}} UTC · Time To: {{timeTo}} UTC</td></tr>
{{#first}}
<tr><td><span class="block">3. Name:</span>{{name}}</td><td><span class="block">4. ICS Position:</span>{{position}}</td></tr>
<tr><td colspan="2"><span class="block">5. Home Agency (and Unit):</span>{{agency}}</td></tr>
</table>
<table>
<tr><th colspan="3"><span class="block">6. Resources Assigned:</span></th></tr>
<tr><th>Name</th><th>ICS Position</th><th>Home Agency (and Unit)</th></tr>
{{#resources}}<tr><td>{{name}}</td><td>{{position}}</td><td>{{agency}}</td></tr>
{{/resources}}
{{^resources}}<tr><td colspan="3">none assigned</td></tr>{{/resources}}
{{/first}}
{{^first}}
<tr><td><span class="block">3. Name:</span>{{name}} (continued)</td><td><span class="block">4. ICS Position:</span>{{position}}</td></tr>
{{/first}}
</table>
<table>
<colgroup><col style="width:26%"><col></colgroup>
<tr><th colspan="2"><span class="block">7. Activity Log:</span></th></tr>
<tr><th>Date/Time (UTC)</th><th>Notable Activities</th></tr>
{{{activities}}}
</table>
<table>
<tr><td style="width:40%"><span class="block">8. Prepared by:</span>Name: {{name}}</td><td>Position/Title: {{position}}</td></tr>
<tr><td>Signature:</td><td>Date/Time: {{prepared}} UTC (from the Switchboard log of {{incidentId}})</td></tr>
</table>
<div class="pagefoot"><span>ICS 214, Page {{page}}</span><span>{{name}}</span></div>
</section>

"""#

    /// The page's end, with the verification again.
    static let tail = #"""
<p class="banner{{^intact}} bad{{/intact}}">{{statement}}</p>
</body>
</html>
"""#

    /// One line of block 7.
    static func appendActivity(at: EntryTime, text: EntryText, to row: inout RowBytes) {
        row.append("<tr><td>")
        row.append(dateTime: at)
        row.append("</td><td>")
        row.append(text, escaping: .html)
        row.append("</td></tr>\n")
    }
}
