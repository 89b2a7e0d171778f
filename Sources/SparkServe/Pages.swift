import Foundation
import Mustache
import SparkLoad
import SparkModel
import SparkPlan
import SparkProject

/// The page's HTML, as Mustache templates: every `{{value}}` is HTML-escaped, so a header such
/// as `<script>` shows as text. No framework; a few lines of plain JavaScript for drag-and-drop
/// and the upload's progress.
enum Pages {
    static func render(_ template: String, _ context: [String: Any]) throws -> String {
        let body = try MustacheTemplate(string: template).render(context)
        return try MustacheTemplate(string: layout).render(["body": body, "title": context["title"] ?? "spark"])
    }

    static let layout = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>{{title}}</title>
        <style>
        body { font: 15px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem 2rem; color: #222; }
        nav a { margin-right: 1rem; } table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: 13px; }
        th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top; } th { background: #f3f3f3; }
        .null { color: #999; font-style: italic; } pre { background: #f6f6f6; padding: .5rem; overflow-x: auto; font-size: 12px; }
        .add { color: #1a7f37; } .change { color: #9a6700; } .refuse, .error { color: #cf222e; } .hint { color: #555; }
        #drop { border: 2px dashed #999; padding: 1.5rem; margin: .5rem 0; text-align: center; } #drop.over { background: #eef; }
        label { display: inline-block; min-width: 6rem; } input, select { margin: .2rem 0; } progress { width: 20rem; }
        </style></head>
        <body><nav><a href="/">Upload</a><a href="/files">Files</a></nav>
        {{{body}}}
        </body></html>
        """

    static let upload = """
        <h1>Upload a platform export</h1>
        <form id="upload" method="post" action="/upload" enctype="multipart/form-data">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <div><label for="client">Client</label> <input id="client" name="client" list="clients" required autocomplete="off">
        <datalist id="clients">{{#clients}}<option value="{{.}}">{{/clients}}</datalist></div>
        <div><label for="platform">Platform</label> <select id="platform" name="platform" required><option value="">choose…</option>{{#platforms}}<option>{{.}}</option>{{/platforms}}</select></div>
        <div><label for="year">Year</label> <input id="year" name="year" type="number" min="1000" max="9999" required></div>
        <div><label for="wave">Wave</label> <input id="wave" name="wave" type="number" min="1" required></div>
        <div><label for="table">Table</label> <select id="table" name="table"><option value="campaign">campaign</option><option value="naming-keys">naming keys</option></select></div>
        <div id="drop">Drop CSV files here, or <input id="files" name="files" type="file" accept=".csv,text/csv" multiple required></div>
        <button type="submit">Upload and preview</button> <progress id="progress" value="0" max="100" hidden></progress>
        </form>
        <p class="hint">Nothing is written until you press “Write migration” on the next page.</p>
        <script>
        const form = document.getElementById('upload'), drop = document.getElementById('drop'), files = document.getElementById('files');
        drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
        drop.addEventListener('dragleave', () => drop.classList.remove('over'));
        drop.addEventListener('drop', e => { e.preventDefault(); drop.classList.remove('over'); files.files = e.dataTransfer.files; });
        form.addEventListener('submit', e => {
          if (!window.XMLHttpRequest) return;
          e.preventDefault();
          const xhr = new XMLHttpRequest(), bar = document.getElementById('progress');
          bar.hidden = false;
          xhr.upload.onprogress = p => { if (p.lengthComputable) bar.value = 100 * p.loaded / p.total; };
          xhr.onload = () => { document.open(); document.write(xhr.responseText); document.close(); history.pushState(null, '', '/upload'); };
          xhr.open('POST', '/upload');
          xhr.send(new FormData(form));
        });
        </script>
        """

    static let result = """
        <h1>{{heading}}</h1>
        {{#refusal}}<div id="refusal" class="error"><pre>{{message}}</pre>{{#hint}}<p class="hint">hint: {{hint}}</p>{{/hint}}</div>{{/refusal}}
        {{#files}}
        <h2>{{standardized}}</h2>
        <p>Uploaded as {{original}}: {{rows}} rows to load, {{encoding}}, header on line {{headerLine}}.</p>
        <table class="inference"><tr><th>column</th><th>type</th><th>nulls</th><th>source header</th><th>evidence</th></tr>
        {{#columns}}<tr><td>{{name}}</td><td>{{type}}</td><td>{{nulls}}</td><td>{{source}}</td><td>{{evidence}}</td></tr>{{/columns}}
        </table>
        {{#warnings}}<p class="change">warning: {{.}}</p>{{/warnings}}
        <h3>The first {{previewCount}} records as they will load</h3>
        <div style="overflow-x: auto"><table class="preview"><tr><th>line</th>{{#headers}}<th>{{.}}</th>{{/headers}}</tr>
        {{#preview}}<tr><td>{{line}}</td>{{#cells}}<td{{#null}} class="null"{{/null}}>{{text}}</td>{{/cells}}</tr>{{/preview}}
        </table></div>
        {{#summary.0}}<h3>Summary rows, left out of the load</h3>{{/summary.0}}
        {{#summary}}<p>line {{line}}: {{label}}</p>{{/summary}}
        {{#rejected.0}}<h3>Rejected rows, left out of the load</h3>{{/rejected.0}}
        {{#rejected}}<p>line {{line}}: {{reason}} <code>{{text}}</code></p>{{/rejected}}
        {{/files}}
        {{#planLines.0}}<h2>Plan</h2>{{/planLines.0}}
        <pre id="plan">{{#planLines}}<span class="{{kind}}">{{text}}</span>
        {{/planLines}}</pre>
        {{#sql}}<details><summary>The migration's SQL ({{migration}})</summary><pre id="sql">{{sql}}</pre></details>{{/sql}}
        {{#write}}
        <form method="post" action="/write">
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="upload" value="{{id}}">
        <button type="submit" name="write" value="1">Write migration</button>
        </form>
        {{/write}}
        {{#nothing}}<p>Nothing to write: every change this upload makes is planned already.</p>{{/nothing}}
        <p><a href="/">Upload other files</a></p>
        """

    static let written = """
        {{#migration}}<h1>Wrote migrations/{{migration}}</h1>
        <p>The migration and the data copy are written, exactly as <code>spark plan</code> writes them.
        <a id="migration" href="/migrations/{{migration}}">Read the migration</a>. Review it, commit it, and run <code>spark apply</code>.</p>{{/migration}}
        {{#nothing}}<h1>Nothing to write</h1><p>Every change this upload makes is planned already.</p>{{/nothing}}
        {{#commit}}<p id="commit">{{commit}}</p>{{/commit}}
        {{#apply}}<h2>Applied to Snowflake</h2>
        {{#ok}}<p id="applied">Applied {{migrations}} migration(s): {{filesLoaded}} file(s) loaded.</p>{{/ok}}
        {{#failed}}<div class="error"><pre>{{message}}</pre>{{#hint}}<p class="hint">hint: {{hint}}</p>{{/hint}}<p>The migration stays pending: run <code>spark apply</code> (or write again) to retry.</p></div>{{/failed}}
        {{#files.0}}<table id="processing-log"><tr><th>file</th><th>table</th><th>PROCESSING_LOG status</th><th>rows</th></tr>{{/files.0}}
        {{#files}}<tr><td>{{file}}</td><td>{{table}}</td><td>{{status}}</td><td>{{rows}}</td></tr>{{/files}}
        {{#files.0}}</table>{{/files.0}}
        {{/apply}}
        <p><a href="/">Upload more files</a> · <a href="/files">All files</a></p>
        """

    static let files = """
        <h1>Files</h1>
        {{^files}}<p>No files planned yet.</p>{{/files}}
        {{#files.0}}<table id="files"><tr><th>client</th><th>platform</th><th>year</th><th>wave</th><th>file</th><th>rows</th><th>SHA-256</th><th>status</th><th>migration</th></tr>{{/files.0}}
        {{#files}}<tr><td>{{client}}</td><td>{{platform}}</td><td>{{year}}</td><td>{{wave}}</td><td>{{path}}</td><td>{{rows}}</td><td><code>{{sha}}</code></td><td>{{status}}</td><td><a href="/migrations/{{migration}}">{{migration}}</a></td></tr>{{/files}}
        {{#files.0}}</table>{{/files.0}}
        <h2>Schemas</h2>
        {{^schemas}}<p>No schemas yet.</p>{{/schemas}}
        {{#schemas}}<p><b>{{schema}}</b>: {{tables}} tables, waves {{waves}}; users: {{users}}</p>{{/schemas}}
        """

    static let failure = """
        <h1>Refused</h1>
        <div id="refusal" class="error"><pre>{{message}}</pre>{{#hint}}<p class="hint">hint: {{hint}}</p>{{/hint}}</div>
        <p><a href="/">Back to the upload</a></p>
        """

    static let login = """
        <h1>This spark server needs its token</h1>
        {{#wrong}}<p class="error">That is not the token.</p>{{/wrong}}
        <form method="post" action="/login"><label for="token">Token</label> <input id="token" name="token" type="password" required autofocus>
        <button type="submit">Continue</button></form>
        """

    // MARK: contexts

    /// A diagnostic for a page: its text (`file:line: message`) and its hint apart, each through `clean`.
    static func shown(_ d: Diagnostic, clean: (String) -> String = { $0 }) -> [String: Any] {
        var text = d
        text.hint = nil
        return ["message": clean(text.description), "hint": d.hint.map(clean) ?? ""]
    }

    static func result(upload: SparkServer.Upload, outcome: WaveOutcome?, refusal: Diagnostic?, csrf: String, nullMarkers: [String]) -> [String: Any] {
        var files: [[String: Any]] = []
        for (i, profile) in (outcome?.profiles ?? []).enumerated() {
            let path = upload.request.files[i]
            let spec = CanonicalSpec(profile: profile, source: path, nullMarkers: nullMarkers)
            // What the preview shows is what the canonical copy will hold: the loader's own conversion.
            let rows = (try? Preview.rows(spec, limit: 20)) ?? []
            var columns: [[String: Any]] = []
            for c in profile.columns {
                let evidence = c.facts.evidence.map { "line \($0.line): \($0.value)" } ?? ""
                columns.append(["name": c.name, "type": c.type.description, "nulls": c.nulls, "source": c.source, "evidence": evidence])
            }
            var preview: [[String: Any]] = []
            for r in rows {
                let cells: [[String: Any]] = r.values.map { v in ["text": v ?? "NULL", "null": v == nil] }
                preview.append(["line": r.line, "cells": cells])
            }
            let summary: [[String: Any]] = profile.summaryRows.map { ["line": $0.line, "label": $0.label] }
            let rejected: [[String: Any]] = profile.rejectedRows.map { ["line": $0.line, "reason": $0.reason, "text": $0.text] }
            var file: [String: Any] = ["standardized": URL(fileURLWithPath: path).lastPathComponent, "rows": profile.rows,
                                       "original": i < upload.originalNames.count ? upload.originalNames[i] : ""]
            file["encoding"] = profile.dialect.encoding.rawValue
            file["headerLine"] = profile.dialect.headerLine
            file["columns"] = columns
            file["warnings"] = profile.warnings
            file["previewCount"] = rows.count
            file["headers"] = profile.columns.map(\.name)
            file["preview"] = preview
            file["summary"] = summary
            file["rejected"] = rejected
            files.append(file)
        }
        let planLines: [[String: Any]] = (outcome.map { PlanText.render($0.plan) } ?? "").split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let kind = line.hasPrefix("  + ") ? "add" : line.hasPrefix("  ~ ") ? "change" : line.hasPrefix("  ! ") || line.hasPrefix("  - ") ? "refuse" : ""
            return ["text": String(line), "kind": kind]
        }
        let body = outcome?.migration.map { $0.contents.components(separatedBy: "-- spark:end\n").last ?? $0.contents }
        let shownRefusal = refusal.map { d -> [String: Any] in
            // The upload folder is spark's own; the user knows the files by their standardized names.
            shown(d) { $0.replacingOccurrences(of: upload.folder.path + "/", with: "") }
        }
        var context: [String: Any] = [
            "title": "spark: \(upload.request.schema.client) \(upload.request.schema.platform) \(upload.request.schema.year) wave \(upload.request.wave)",
            "heading": refusal == nil ? "Preview: \(upload.request.schema.client) \(upload.request.schema.platform) \(upload.request.schema.year) wave \(upload.request.wave)" : "Refused",
            "files": files, "planLines": planLines.filter { !($0["text"] as! String).isEmpty },
            "csrf": csrf, "id": upload.id,
        ]
        if let shownRefusal { context["refusal"] = shownRefusal }
        if let body, refusal == nil {
            context["sql"] = body
            context["migration"] = outcome?.migration?.fileName ?? ""
            context["write"] = true
        }
        if refusal == nil && outcome?.migration == nil { context["nothing"] = true }
        return context
    }

    static func applied(_ a: ApplyOnWrite) -> [String: Any] {
        var context: [String: Any] = [
            "migrations": a.migrations.count, "filesLoaded": a.migrations.reduce(0) { $0 + $1.filesLoaded },
            "files": a.files.map { f -> [String: Any] in ["file": f.file, "table": f.table, "status": f.status ?? "no row", "rows": f.rows.map(String.init) ?? ""] },
        ]
        if let error = a.errors?.first {
            context["failed"] = shown(error)
        } else {
            context["ok"] = true
        }
        return context
    }

    static func files(_ report: FilesReport, schemas: [SchemasReport.Schema]) -> [String: Any] {
        [
            "title": "spark: files",
            "files": report.files.map { f -> [String: Any] in
                ["client": f.client.lowercased(), "platform": f.platform.lowercased(), "year": f.year, "wave": f.wave, "path": f.path,
                 "rows": f.rows, "sha": String(f.sha256.prefix(12)), "status": f.status.rawValue, "migration": f.migration]
            },
            "schemas": schemas.map { s -> [String: Any] in
                ["schema": s.schema, "tables": s.tables.count, "waves": s.waves.map(String.init).joined(separator: ", "),
                 "users": (s.users ?? []).map { "\($0.user) (\($0.access))" }.joined(separator: ", ").isEmpty ? "none" : (s.users ?? []).map { "\($0.user) (\($0.access))" }.joined(separator: ", ")]
            },
        ]
    }
}
